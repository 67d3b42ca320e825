package io.meshwork.launcher.processes;

import io.meshwork.embedded.kafka.BrokerTuning;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code server.properties} of one combined broker and controller node of a
 * {@link KafkaProcessCluster}: a static quorum of every node, a CLIENT listener for clients
 * (PLAINTEXT, or SASL_PLAINTEXT with SCRAM-SHA-256), an INTERNAL PLAINTEXT listener between
 * brokers and the CONTROLLER listener, all on 127.0.0.1, plus {@link BrokerTuning}; optionally an
 * authoriser.
 */
final class KafkaNodeProperties {

    static final String CLIENT = "CLIENT";
    static final String INTERNAL = "INTERNAL";
    static final String CONTROLLER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";

    /**
     * The ports of one node.
     *
     * @param nodeId node id, from 1
     */
    record Node(int nodeId, int clientPort, int internalPort, int controllerPort) {

        String clientAddress() {
            return HOST + ":" + clientPort;
        }
    }

    private KafkaNodeProperties() {
    }

    static Map<String, String> of(Node node, List<Node> quorum, Path logDir, boolean scram) {
        return of(node, quorum, logDir, scram, Optional.empty());
    }

    /**
     * As {@link #of(Node, List, Path, boolean)}, with KRaft's {@code StandardAuthorizer} when
     * {@code superUser} is given: that user may do anything, every other principal on the CLIENT
     * listener only what ACLs grant it (none at first).
     */
    static Map<String, String> of(Node node, List<Node> quorum, Path logDir, boolean scram, Optional<ScramUser> superUser) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(node.nodeId()));
        // A static quorum formats without --standalone/--initial-controllers, the same on every node.
        props.put("controller.quorum.voters", quorum.stream()
                .map(voter -> voter.nodeId() + "@" + HOST + ":" + voter.controllerPort()).collect(Collectors.joining(",")));
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", INTERNAL);
        props.put("listeners", CLIENT + "://" + HOST + ":" + node.clientPort() + "," + INTERNAL + "://" + HOST + ":"
                + node.internalPort() + "," + CONTROLLER + "://" + HOST + ":" + node.controllerPort());
        props.put("advertised.listeners", CLIENT + "://" + HOST + ":" + node.clientPort() + "," + INTERNAL + "://" + HOST + ":"
                + node.internalPort());
        props.put("listener.security.protocol.map", CLIENT + ":" + (scram ? "SASL_PLAINTEXT" : "PLAINTEXT") + ","
                + INTERNAL + ":PLAINTEXT," + CONTROLLER + ":PLAINTEXT");
        if (scram) {
            props.put("sasl.enabled.mechanisms", ScramUser.MECHANISM);
            // The broker's side of SCRAM needs a login module but no credentials of its own:
            // users are checked against the SCRAM credentials in the cluster metadata.
            props.put("listener.name.client.scram-sha-256.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        superUser.ifPresent(user -> {
            props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // ANONYMOUS is whoever comes over the PLAINTEXT INTERNAL and CONTROLLER listeners: the nodes themselves.
            props.put("super.users", "User:" + user.name() + ";User:ANONYMOUS");
        });
        props.put("log.dir", logDir.toString());
        props.putAll(BrokerTuning.compact(quorum.size()));
        return props;
    }
}
