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

    /** Large enough for a 1 MiB payload plus headers and batch overhead. */
    static final int MESSAGE_MAX_BYTES = 4 * 1024 * 1024;

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

        // One node: every internal topic has to live with a single replica.
        props.put("default.replication.factor", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Internal topics default to 50 partitions each, which costs seconds on first use.
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");

        props.put("message.max.bytes", Integer.toString(MESSAGE_MAX_BYTES));
        // Kafka rejects a batch larger than a segment, so segments must exceed message.max.bytes.
        String segmentBytes = Integer.toString(2 * MESSAGE_MAX_BYTES);
        props.put("log.segment.bytes", segmentBytes);
        props.put("offsets.topic.segment.bytes", segmentBytes);
        props.put("transaction.state.log.segment.bytes", segmentBytes);
        props.put("share.coordinator.state.topic.segment.bytes", segmentBytes);
        // Index files are preallocated (10 MiB each by default) for every partition segment.
        props.put("log.index.size.max.bytes", Integer.toString(64 * 1024));
        // The cleaner allocates its dedupe buffer up front: 128 MiB per cluster by default.
        props.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));

        // Three clusters share a laptop: far fewer threads than a production broker.
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "4");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("group.coordinator.threads", "1");
        props.put("share.coordinator.threads", "1");

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
            bound.add(listener.name() + "://" + HOST + ":" + layout.extraBoundPorts().get(listener.name()));
            advertised.add(listener.name() + "://" + HOST + ":" + listener.advertisedPort());
            protocols.add(listener.name() + ":PLAINTEXT");
        }
        props.put("listeners", bound.toString());
        props.put("advertised.listeners", advertised.toString());
        props.put("listener.security.protocol.map", protocols.toString());
    }
}
