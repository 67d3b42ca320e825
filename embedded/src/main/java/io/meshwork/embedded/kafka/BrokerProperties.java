package io.meshwork.embedded.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** The broker configuration of an embedded single-node KRaft cluster. */
final class BrokerProperties {

    static final String CLIENT = "CLIENT";
    static final String CONTROLLER = "CONTROLLER";
    static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";

    private BrokerProperties() {
    }

    static Map<String, String> of(KafkaClusterSpec spec, ClusterLayout layout) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // A static quorum formats without --standalone/--initial-controllers and never changes.
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + layout.controllerPort());
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", CLIENT);
        listeners(spec, layout, props);
        props.put("log.dir", layout.logDir().toString());

        props.putAll(BrokerTuning.compact(1));

        props.putAll(spec.brokerOverrides());
        return props;
    }

    private static void listeners(KafkaClusterSpec spec, ClusterLayout layout, Map<String, String> props) {
        StringJoiner bound = new StringJoiner(",");
        StringJoiner advertised = new StringJoiner(",");
        StringJoiner protocols = new StringJoiner(",");
        bound.add(CLIENT + "://" + HOST + ":" + layout.clientPort());
        bound.add(CONTROLLER + "://" + HOST + ":" + layout.controllerPort());
        advertised.add(CLIENT + "://" + HOST + ":" + layout.clientPort());
        protocols.add(CLIENT + ":PLAINTEXT").add(CONTROLLER + ":PLAINTEXT");
        for (ExtraListener listener : spec.extraListeners()) {
            int boundPort = layout.extraBoundPorts().get(listener.name());
            bound.add(listener.name() + "://" + HOST + ":" + boundPort);
            advertised.add(listener.name() + "://" + HOST + ":" + (listener.advertisedPort() == 0 ? boundPort : listener.advertisedPort()));
            protocols.add(listener.name() + ":" + listener.protocol());
        }
        props.put("listeners", bound.toString());
        props.put("advertised.listeners", advertised.toString());
        props.put("listener.security.protocol.map", protocols.toString());
    }
}
