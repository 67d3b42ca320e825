package io.meshwork.core.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every topic one region's cluster needs (names from {@link MeshKafkaTopics}, DESIGN.md 2.2), with
 * its partitions, replication factor and configs: the one place that decides them. The launcher,
 * the control channels and the tests create or check topics from here, through {@link TopicApplier}.
 *
 * <pre>{@code
 * TopicContract contract = new TopicContract("us-east-1", List.of("eu-west-1"), (short) 3, SpoolRetention.SEED);
 * new TopicApplier(admin, "us-east-1").apply(contract.topics(), TopicApplier.Mode.VERIFY_ONLY);
 * }</pre>
 *
 * @param region            the region whose cluster holds the topics
 * @param neighbours        the regions it has links with
 * @param replicationFactor of every topic; 3 or more also sets {@code min.insync.replicas} to a majority
 * @param spool             what each link's spool keeps while its link is down
 */
public record TopicContract(String region, List<String> neighbours, short replicationFactor, SpoolRetention spool) {

    /** Partitions of {@code mesh.events}, of each link spool and of each arrivals topic. */
    public static final int EVENT_PARTITIONS = 3;

    /**
     * Partitions (delivery slots) of {@code mesh.deliveries}: up to this many edges of a region in
     * routed delivery mode read only their own events.
     */
    public static final int DELIVERY_PARTITIONS = 16;

    /** Replication factor of a real cluster (three brokers or more), the default outside the embedded mesh. */
    public static final short PRODUCTION_REPLICATION = 3;

    private static final String CLEANUP_POLICY = "cleanup.policy";
    private static final String RETENTION_MS = "retention.ms";
    private static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    private static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    private static final long TRACES_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    private static final long HEARTBEATS_RETENTION_MS = 60L * 60 * 1000;

    public TopicContract {
        Objects.requireNonNull(region, "region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        neighbours = List.copyOf(neighbours);
        if (neighbours.contains(region)) {
            throw new IllegalArgumentException("region " + region + " cannot be its own neighbour");
        }
        if (new LinkedHashSet<>(neighbours).size() != neighbours.size()) {
            throw new IllegalArgumentException("region " + region + ": neighbours listed twice in " + neighbours);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, was " + replicationFactor);
        }
        Objects.requireNonNull(spool, "spool");
    }

    /** The contract of a region of the embedded mesh: single-broker clusters, the seed's spool. */
    public static TopicContract embedded(String region, List<String> neighbours) {
        return new TopicContract(region, neighbours, (short) 1, SpoolRetention.SEED);
    }

    /** Every topic of the region, in a stable order: the region's own topics, then those of each neighbour. */
    public List<TopicSpec> topics() {
        List<TopicSpec> topics = new ArrayList<>();
        topics.add(spec(MeshKafkaTopics.EVENTS, EVENT_PARTITIONS, "delete", Map.of()));
        topics.add(spec(MeshKafkaTopics.INTEREST, 1, "compact", Map.of()));
        topics.add(spec(MeshKafkaTopics.ROUTES, 1, "compact", Map.of()));
        topics.add(spec(MeshKafkaTopics.DLQ, 1, "delete", Map.of()));
        topics.add(spec(MeshKafkaTopics.DELIVERIES, DELIVERY_PARTITIONS, "delete", Map.of()));
        // The broker stamps retained records, so a region's own records of one key are appended in time order.
        topics.add(spec(MeshKafkaTopics.RETAINED, 1, "compact", Map.of(MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")));
        // The control plane's ACL entries, as edges enforce them: the newest per entry id.
        topics.add(spec(MeshKafkaTopics.ACLS, 1, "compact", Map.of()));
        // Control plane feeds: trace hops (a week) and directory heartbeats (an hour is plenty).
        topics.add(spec(MeshKafkaTopics.TRACES, 1, "delete", Map.of(RETENTION_MS, Long.toString(TRACES_RETENTION_MS))));
        topics.add(spec(MeshKafkaTopics.HEARTBEATS, 1, "delete", Map.of(RETENTION_MS, Long.toString(HEARTBEATS_RETENTION_MS))));
        // Router instances' beats: only the newest matter, to the neighbours' control channels.
        topics.add(spec(MeshKafkaTopics.BEATS, 1, "delete", Map.of(RETENTION_MS, Long.toString(HEARTBEATS_RETENTION_MS))));
        for (String neighbour : neighbours) {
            topics.add(spec(MeshKafkaTopics.link(neighbour), EVENT_PARTITIONS, "delete", spool.topicConfigs(EVENT_PARTITIONS)));
            // Where the links land: created with the region rather than by the link, so the router
            // can subscribe before the first record crosses.
            topics.add(spec(MeshKafkaTopics.arrivals(neighbour, region), EVENT_PARTITIONS, "delete", Map.of()));
            topics.add(remoteRoutes(neighbour));
        }
        return List.copyOf(topics);
    }

    /** {@code <neighbour>.mesh.routes}: where the control channel from {@code neighbour} writes. */
    public TopicSpec remoteRoutes(String neighbour) {
        if (!neighbours.contains(neighbour)) {
            throw new IllegalArgumentException(neighbour + " is not a neighbour of " + region + " (neighbours: " + neighbours + ")");
        }
        return spec(MeshKafkaTopics.remoteRoutes(neighbour), 1, "compact", Map.of());
    }

    private TopicSpec spec(String name, int partitions, String cleanupPolicy, Map<String, String> extra) {
        Map<String, String> configs = new HashMap<>(extra);
        configs.put(CLEANUP_POLICY, cleanupPolicy);
        if (replicationFactor >= 3) {
            // A write is acknowledged once a majority holds it: one broker may fail without losing it or refusing writes.
            configs.put(MIN_INSYNC_REPLICAS, Integer.toString(replicationFactor / 2 + 1));
        }
        return new TopicSpec(name, partitions, replicationFactor, configs);
    }
}
