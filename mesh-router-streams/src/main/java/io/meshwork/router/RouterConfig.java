package io.meshwork.router;

import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.topology.Link;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one region's router. Validated when built, naming the setting at fault.
 *
 * @param region             the region this router serves (also its broker id on routing paths)
 * @param kafka              client settings of the regional Kafka cluster (every {@code kafka.*} key)
 * @param neighbours         regions linked to this one; the router reads their mirrored topics
 *                           and writes one link topic per neighbour
 * @param links              the mesh's links; next hops are computed over those that are up
 * @param replicationFactor  replication of the router's internal topics (changelogs)
 * @param stateDir           where the router keeps its local state (RocksDB)
 * @param leaseCheckInterval how often edge leases are checked for expiry
 * @param dedupWindow        how long the dedup ledger remembers an arrival (the seed's 15 min)
 * @param heartbeatInterval  how often the router sends its link state (the heartbeat) to its neighbours
 * @param linkTimeout        a link is DOWN when no heartbeat came over it for this long
 * @param orderHold          longest an arrival waits for an earlier event of its origin (sent
 *                           along another path) before that one is taken as lost
 * @param commitInterval     how often the router commits its transaction; what it wrote becomes
 *                           visible to {@code read_committed} readers (edges, links) only then, so
 *                           this bounds the latency each router adds, and each commit blocks the
 *                           router (flush + commit), so it also bounds throughput
 * @param numStreamThreads   stream threads of this router instance; tasks (one per partition of
 *                           each sub-topology) are spread over the threads of every instance of
 *                           the region, so more threads or more instances only help up to the
 *                           partition count of {@code mesh.events} and of the link topics
 */
public record RouterConfig(String region, KafkaClients kafka, List<String> neighbours, List<Link> links,
                           int replicationFactor, Path stateDir, Duration leaseCheckInterval, Duration dedupWindow,
                           Duration heartbeatInterval, Duration linkTimeout, Duration orderHold, Duration commitInterval,
                           int numStreamThreads) {

    /** Default heartbeat interval. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(500);
    /** Default link timeout (the WAN issue's 3 s). */
    public static final Duration DEFAULT_LINK_TIMEOUT = Duration.ofSeconds(3);

    /** Default longest wait for an earlier event: a cut link's spool is re-sent well within it. */
    public static final Duration DEFAULT_ORDER_HOLD = Duration.ofSeconds(30);

    /**
     * Default commit interval, picked by measurement (docs/BENCHMARKS.md): a path through the mesh
     * waits for two commits (origin and destination router), and latency comes first.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(10);

    /** Default stream threads per router instance: scale out by adding instances (or threads) up to the partition count. */
    public static final int DEFAULT_NUM_STREAM_THREADS = 1;

    /** Most stream threads one instance may run: beyond a few per core they only add commits and contention. */
    public static final int MAX_NUM_STREAM_THREADS = 64;

    /** The seed's deduplication window. */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(15);

    /** A router on a plaintext cluster at {@code bootstrapServers} with the default timings and one stream thread. */
    public RouterConfig(String region, String bootstrapServers, List<String> neighbours, List<Link> links,
                        int replicationFactor, Path stateDir, Duration leaseCheckInterval) {
        this(region, KafkaClients.of(bootstrapServers), neighbours, links, replicationFactor, stateDir, leaseCheckInterval,
                DEFAULT_DEDUP_WINDOW, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_LINK_TIMEOUT, DEFAULT_ORDER_HOLD, DEFAULT_COMMIT_INTERVAL,
                DEFAULT_NUM_STREAM_THREADS);
    }

    /** A router on a plaintext cluster at {@code bootstrapServers} with these timings and one stream thread. */
    public RouterConfig(String region, String bootstrapServers, List<String> neighbours, List<Link> links,
                        int replicationFactor, Path stateDir, Duration leaseCheckInterval, Duration dedupWindow,
                        Duration heartbeatInterval, Duration linkTimeout, Duration orderHold, Duration commitInterval) {
        this(region, KafkaClients.of(bootstrapServers), neighbours, links, replicationFactor, stateDir, leaseCheckInterval,
                dedupWindow, heartbeatInterval, linkTimeout, orderHold, commitInterval, DEFAULT_NUM_STREAM_THREADS);
    }

    /** This configuration with another commit interval. */
    public RouterConfig withCommitInterval(Duration interval) {
        return new RouterConfig(region, kafka, neighbours, links, replicationFactor, stateDir, leaseCheckInterval,
                dedupWindow, heartbeatInterval, linkTimeout, orderHold, interval, numStreamThreads);
    }

    /** This configuration with {@code threads} Kafka Streams threads. */
    public RouterConfig withNumStreamThreads(int threads) {
        return new RouterConfig(region, kafka, neighbours, links, replicationFactor, stateDir, leaseCheckInterval,
                dedupWindow, heartbeatInterval, linkTimeout, orderHold, commitInterval, threads);
    }

    /** The regional cluster's bootstrap servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public RouterConfig {
        require(region != null && !region.isBlank(), MeshKeys.REGION, region, "must be non-blank");
        if (kafka == null) {
            throw new InvalidSettingException("kafka.bootstrap.servers", "missing required value");
        }
        Objects.requireNonNull(neighbours, "neighbours");
        neighbours = List.copyOf(neighbours);
        require(!neighbours.contains(region), MeshKeys.TOPOLOGY, neighbours, "a region must not be its own neighbour");
        require(links != null && !links.isEmpty() || neighbours.isEmpty(), MeshKeys.TOPOLOGY, links,
                "must list the mesh's links when the region has neighbours");
        links = links == null ? List.of() : List.copyOf(links);
        require(replicationFactor >= 1, RouterKeys.REPLICATION_FACTOR, replicationFactor, "must be at least 1");
        require(stateDir != null, RouterKeys.STATE_DIR, stateDir, "must be set");
        require(leaseCheckInterval != null && !leaseCheckInterval.isNegative() && !leaseCheckInterval.isZero(),
                RouterKeys.LEASE_CHECK_INTERVAL, leaseCheckInterval, "must be positive");
        require(dedupWindow != null && dedupWindow.toSeconds() >= 1 && dedupWindow.toDays() <= 7, RouterKeys.DEDUP_WINDOW, dedupWindow,
                "must be within 1 s..7 days");
        require(heartbeatInterval != null && heartbeatInterval.toMillis() >= 50, RouterKeys.HEARTBEAT_INTERVAL, heartbeatInterval,
                "must be at least 50 ms");
        require(linkTimeout != null && linkTimeout.compareTo(heartbeatInterval.multipliedBy(2)) >= 0, RouterKeys.LINK_TIMEOUT,
                linkTimeout, "must be at least two heartbeat intervals");
        require(orderHold != null && !orderHold.isNegative() && orderHold.toHours() < 1, RouterKeys.ORDER_HOLD, orderHold,
                "must be within 0..1 h");
        require(commitInterval != null && commitInterval.toMillis() >= 1 && commitInterval.toSeconds() <= 60,
                RouterKeys.COMMIT_INTERVAL, commitInterval, "must be within 1 ms..60 s");
        require(numStreamThreads >= 1 && numStreamThreads <= MAX_NUM_STREAM_THREADS, RouterKeys.NUM_STREAM_THREADS, numStreamThreads,
                "must be within 1.." + MAX_NUM_STREAM_THREADS);
    }

    /** Kafka Streams application id; one per region. */
    public String applicationId() {
        return "meshwork-router-" + region;
    }

    private static void require(boolean valid, String key, Object value, String rule) {
        if (!valid) {
            throw InvalidSettingException.invalid(key, value, rule);
        }
    }
}
