package io.meshwork.embedded.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker settings of Meshwork's small test and laptop clusters, apart from listeners, node
 * ids and directories: the embedded single-node clusters use them, and so do the broker processes
 * that the multi-process tests and {@code config/processes/} start. Several clusters share two
 * cores, so they run with few threads, one-partition internal topics and small preallocated
 * files.
 */
public final class BrokerTuning {

    /** Large enough for a 1 MiB payload plus headers and batch overhead. */
    public static final int MESSAGE_MAX_BYTES = 4 * 1024 * 1024;

    private BrokerTuning() {
    }

    /**
     * The settings for a cluster of {@code brokers} brokers: internal topics get that many replicas
     * (at most 3), and with three or more a write needs two in-sync replicas, so one broker may die
     * without losing an acknowledged record.
     *
     * @throws IllegalArgumentException if {@code brokers} is below 1
     */
    public static Map<String, String> compact(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("a cluster needs at least 1 broker, was " + brokers);
        }
        String replicas = Integer.toString(Math.min(brokers, 3));
        String minInSync = brokers >= 3 ? "2" : "1";
        Map<String, String> props = new LinkedHashMap<>();
        props.put("default.replication.factor", replicas);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minInSync);
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minInSync);
        props.put("min.insync.replicas", minInSync);
        // Internal topics default to 50 partitions each, which costs seconds on first use.
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");
        props.put("num.partitions", "1");
        props.put("auto.create.topics.enable", "false");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Consumer-protocol (KIP-848) groups, the edges' cross-edge consumer groups: a member learns
        // of a new assignment at its next heartbeat, so the default 5 s interval is the take-over
        // time when an edge leaves; a dead edge's partitions move after the session timeout (45 s
        // by default; 10 s still outlasts a loaded laptop's pauses).
        props.put("group.consumer.min.heartbeat.interval.ms", "500");
        props.put("group.consumer.heartbeat.interval.ms", "500");
        props.put("group.consumer.min.session.timeout.ms", "10000");
        props.put("group.consumer.session.timeout.ms", "10000");

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

        // Several clusters share a laptop: far fewer threads than a production broker.
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "4");
        props.put("background.threads", "4");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("group.coordinator.threads", "1");
        props.put("share.coordinator.threads", "1");
        return props;
    }
}
