package io.meshwork.router;

import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.Durations;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.topology.Link;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The keys of {@code mesh router}, each declared once here, and how they become a {@link RouterConfig}. */
public final class RouterKeys {

    public static final String NUM_STREAM_THREADS = "router.num.stream.threads";
    public static final String COMMIT_INTERVAL = "router.commit.interval";
    public static final String STATE_DIR = "router.state.dir";
    public static final String REPLICATION_FACTOR = "router.replication.factor";
    public static final String METRICS_PORT = "router.metrics.port";
    public static final String DEDUP_WINDOW = "router.dedup.window";
    public static final String HEARTBEAT_INTERVAL = "router.heartbeat.interval";
    public static final String LINK_TIMEOUT = "router.link.timeout";
    public static final String ORDER_HOLD = "router.order.hold";
    public static final String LEASE_CHECK_INTERVAL = "router.lease.check.interval";

    private RouterKeys() {
    }

    /** Every key {@code mesh router} reads. */
    public static ConfigSchema schema() {
        ConfigDef keys = MeshKeys.common()
                .define(NUM_STREAM_THREADS, Type.INT, RouterConfig.DEFAULT_NUM_STREAM_THREADS,
                        Range.between(1, RouterConfig.MAX_NUM_STREAM_THREADS), Importance.MEDIUM,
                        "Kafka Streams threads of this router instance (num.stream.threads).")
                .define(COMMIT_INTERVAL, Type.STRING, Durations.format(RouterConfig.DEFAULT_COMMIT_INTERVAL),
                        ConfigSchema.duration(d -> d.toMillis() >= 1 && d.toSeconds() <= 60, "1ms..60s"), Importance.MEDIUM,
                        "How often the router commits its transaction: what it wrote becomes visible to read_committed readers "
                                + "(edges, links) only then. Shorter adds less latency, longer drains a backlog faster.")
                .define(STATE_DIR, Type.STRING, "router-state", new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Local state (RocksDB), rebuilt from the changelogs when lost.")
                .define(REPLICATION_FACTOR, Type.INT, 1, Range.between(1, Short.MAX_VALUE), Importance.HIGH,
                        "Replication factor of the router's internal topics (changelogs) and of contract topics it creates; "
                                + "3 on a production cluster.")
                .define(METRICS_PORT, Type.INT, 9464, Range.between(0, 65535), Importance.MEDIUM,
                        "Port of the router's Prometheus GET /metrics; 0 picks a free one.")
                .define(DEDUP_WINDOW, Type.STRING, Durations.format(RouterConfig.DEFAULT_DEDUP_WINDOW),
                        ConfigSchema.duration(d -> d.toSeconds() >= 1 && d.toDays() <= 7, "1s..7d"), Importance.LOW,
                        "How long the dedup ledger remembers an arrival.")
                .define(HEARTBEAT_INTERVAL, Type.STRING, Durations.format(RouterConfig.DEFAULT_HEARTBEAT_INTERVAL),
                        ConfigSchema.duration(d -> d.toMillis() >= 50, "50ms or more"), Importance.LOW,
                        "How often the router sends its link state (the heartbeat) to its neighbours.")
                .define(LINK_TIMEOUT, Type.STRING, Durations.format(RouterConfig.DEFAULT_LINK_TIMEOUT),
                        ConfigSchema.duration(d -> d.toMillis() >= 100, "two heartbeat intervals or more"), Importance.LOW,
                        "A link is DOWN when no heartbeat came over it for this long.")
                .define(ORDER_HOLD, Type.STRING, Durations.format(RouterConfig.DEFAULT_ORDER_HOLD),
                        ConfigSchema.duration(d -> !d.isNegative() && d.toHours() < 1, "0ms..1h"), Importance.LOW,
                        "Longest an arrival waits for an earlier event of its origin (sent along another path) before that one "
                                + "is taken as lost.")
                .define(LEASE_CHECK_INTERVAL, Type.STRING, "500ms",
                        ConfigSchema.duration(d -> d.toMillis() >= 1, "1ms or more"), Importance.LOW,
                        "How often edge leases are checked for expiry.");
        return new ConfigSchema("router", keys, List.of(MeshKeys.KAFKA));
    }

    /**
     * The router's settings from its loaded configuration.
     *
     * @param neighbours the region's neighbours in the topology
     * @param links      the topology's links
     * @param stateDir   where to keep state: {@link #STATE_DIR} unless the caller picks one (a temporary folder)
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad value
     */
    public static RouterConfig build(MeshConfig config, List<String> neighbours, List<Link> links, Path stateDir) {
        Duration commit = config.duration(COMMIT_INTERVAL);
        return config.build(() -> new RouterConfig(config.string(MeshKeys.REGION), config.kafka(), neighbours, links,
                config.integer(REPLICATION_FACTOR), stateDir, config.duration(LEASE_CHECK_INTERVAL), config.duration(DEDUP_WINDOW),
                config.duration(HEARTBEAT_INTERVAL), config.duration(LINK_TIMEOUT), config.duration(ORDER_HOLD), commit,
                config.integer(NUM_STREAM_THREADS)));
    }

    /** {@link #build(MeshConfig, List, List, Path)} with the state directory of {@link #STATE_DIR}. */
    public static RouterConfig build(MeshConfig config, List<String> neighbours, List<Link> links) {
        return build(config, neighbours, links, Path.of(config.string(STATE_DIR)));
    }
}
