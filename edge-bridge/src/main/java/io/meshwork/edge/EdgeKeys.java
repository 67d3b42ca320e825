package io.meshwork.edge;

import io.meshwork.core.auth.AuthKeys;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.tls.TlsKeys;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.core.trace.TraceSampler;
import io.meshwork.edge.internal.group.ConsumerGroups;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The keys of {@code mesh edge}, each declared once here, and how they become an {@link EdgeConfig}.
 * The ports default to the region's ports in the topology, which the launcher supplies as
 * defaults when it loads the configuration.
 */
public final class EdgeKeys {

    public static final String BROKER_ID = "edge.broker.id";
    public static final String HTTP_HOST = "edge.http.host";
    public static final String HTTP_PORT = "edge.http.port";
    public static final String GRPC_PORT = "edge.grpc.port";
    public static final String MQTT_PORT = "edge.mqtt.port";
    public static final String AMQP_PORT = "edge.amqp.port";
    public static final String MAX_PAYLOAD_BYTES = "edge.max.payload.bytes";
    public static final String SUBSCRIBER_QUEUE_MAX_MESSAGES = "edge.subscriber.queue.max.messages";
    public static final String SUBSCRIBER_QUEUE_MAX_BYTES = "edge.subscriber.queue.max.bytes";
    public static final String SUBSCRIBER_WRITE_DEADLINE = "edge.subscriber.write.deadline";
    public static final String LEASE_TTL = "edge.lease.ttl";
    public static final String MQTT_SUBACK_HOLD = "edge.mqtt.suback.hold";
    public static final String MQTT_INFLIGHT_WINDOW = "edge.mqtt.inflight.window";
    public static final String TRACE_SAMPLE_RATE = "edge.trace.sample.rate";
    public static final String REPLICATION_FACTOR = "edge.replication.factor";
    public static final String DELIVERY_MODE = "edge.delivery.mode";
    public static final String DELIVERY_PARTITION = "edge.delivery.partition";
    public static final String MQTT_QUEUE_MAX_MESSAGES = "edge.mqtt.queue.max.messages";
    public static final String MQTT_QUEUE_OVERFLOW = "edge.mqtt.queue.overflow";
    public static final String MQTT_DATA_DIR = "edge.mqtt.data.dir";
    public static final String GROUP_LAG_FRAMES = "edge.group.lag.frames";
    public static final String DURABLE_WINDOW = "edge.durable.window";
    public static final String DURABLE_BACKPRESSURE_LAG = "edge.durable.backpressure.lag";
    public static final String DURABLE_RECOVER_LAG = "edge.durable.backpressure.recover.lag";
    public static final String DURABLE_TOKEN_SECRET = "edge.durable.token.secret";
    public static final String BACKPRESSURE_THROTTLE = "edge.backpressure.throttle";
    public static final String BACKPRESSURE_RETRY_AFTER = "edge.backpressure.retry.after";
    public static final String BACKPRESSURE_WEBHOOKS = "edge.backpressure.webhooks";
    public static final String BACKPRESSURE_WEBHOOK_TIMEOUT = "edge.backpressure.webhook.timeout";
    public static final String BACKPRESSURE_WEBHOOK_RETRIES = "edge.backpressure.webhook.retries";
    public static final String FAILOVER_GAP_COUNT_MAX = "edge.failover.gap.count.max";
    public static final String INTEREST_GRACE = "edge.interest.grace";
    /** Prefix of the authentication keys ({@link AuthKeys}): edge.auth.enabled, .jwks.file, .jwks.url, .issuer, .audience, .clock.skew. */
    public static final String AUTH = "edge.auth";

    /** Prefix of the edge's TLS keys ({@code edge.tls.*}, see {@link TlsKeys}). */
    public static final String PREFIX = "edge.";

    private static final String PORT_RULE = "0 picks a free port, -1 serves none";

    private EdgeKeys() {
    }

    /** Every key {@code mesh edge} reads. */
    public static ConfigSchema schema() {
        ConfigDef keys = MeshKeys.common()
                .define(BROKER_ID, Type.STRING, null, Importance.LOW,
                        "Id of the region's broker on routing paths. Default: the region's name.")
                .define(HTTP_HOST, Type.STRING, "0.0.0.0", new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.MEDIUM,
                        "Interface the HTTP + WebSocket, gRPC and MQTT listeners bind to.")
                .define(HTTP_PORT, Type.INT, null, ConfigSchema.optional(Range.between(0, 65535)), Importance.HIGH,
                        "HTTP + WebSocket port (REST publish, /v1/stream, /metrics); 0 picks a free one. "
                                + "Default: the region's http port in the topology.")
                .define(GRPC_PORT, Type.INT, null, port(), Importance.HIGH,
                        "gRPC port (SubscriptionService); " + PORT_RULE + ". Default: the region's grpc port in the topology.")
                .define(MQTT_PORT, Type.INT, null, port(), Importance.HIGH,
                        "MQTT 3.1.1/5 port; " + PORT_RULE + ". Default: the region's mqtt port in the topology.")
                .define(AMQP_PORT, Type.INT, EdgeConfig.DISABLED, port(), Importance.HIGH,
                        "AMQP 1.0 port (CloudEvents AMQP binding; SASL ANONYMOUS); " + PORT_RULE + ". Default: none; the embedded "
                                + "mesh serves the region's AMQP port of DESIGN.md 2.6 (15672, 25672, 35672).")
                .define(MAX_PAYLOAD_BYTES, Type.INT, EdgeConfig.DEFAULT_MAX_PAYLOAD_BYTES, Range.between(1, 3 * 1024 * 1024),
                        Importance.MEDIUM, "Largest event payload accepted, in bytes (HTTP 413 / error frame above it); "
                                + "the brokers accept 4 MiB records.")
                .define(SUBSCRIBER_QUEUE_MAX_MESSAGES, Type.INT, SubscriberQueueSettings.DEFAULT_MAX_MESSAGES,
                        Range.between(1, SubscriberQueueSettings.MAX_MESSAGES), Importance.MEDIUM,
                        "Events one WebSocket or gRPC subscriber connection may have queued unsent; beyond it (or "
                                + SUBSCRIBER_QUEUE_MAX_BYTES + ") each subscription's delivery_policy applies: drop-oldest drops "
                                + "its oldest queued events, conflate keeps the latest per topic, disconnect ends the connection.")
                .define(SUBSCRIBER_QUEUE_MAX_BYTES, Type.LONG, SubscriberQueueSettings.DEFAULT_MAX_BYTES,
                        Range.between(SubscriberQueueSettings.MIN_BYTES, SubscriberQueueSettings.MAX_BYTES), Importance.MEDIUM,
                        "Bytes of events (as written on the wire) one WebSocket or gRPC subscriber connection may have queued "
                                + "unsent; the edge's memory for lagging subscribers is at most this times the connections.")
                .define(SUBSCRIBER_WRITE_DEADLINE, Type.STRING, "30s",
                        ConfigSchema.duration(d -> d.toMillis() >= 100 && d.toMinutes() <= 10, "100ms..10m"), Importance.LOW,
                        "How long an event of a delivery_policy=disconnect subscription may wait unwritten before the edge "
                                + "disconnects its connection (checked as the next event for it arrives).")
                .define(LEASE_TTL, Type.STRING, "10s",
                        ConfigSchema.duration(d -> d.toMillis() >= 400 && d.toMinutes() <= 60, "400ms..60m"), Importance.LOW,
                        "How long the edge's subscriptions outlive it if it dies without deregistering; renewed every quarter of it.")
                .define(MQTT_SUBACK_HOLD, Type.STRING, "0ms",
                        ConfigSchema.duration(d -> !d.isNegative() && d.toMinutes() <= 5, "0ms..5m"), Importance.LOW,
                        "How long an MQTT SUBACK may wait for the subscription to be active in every region; 0ms answers at once.")
                .define(MQTT_INFLIGHT_WINDOW, Type.INT, EdgeConfig.DEFAULT_MQTT_INFLIGHT_WINDOW,
                        Range.between(1, EdgeConfig.MAX_MQTT_INFLIGHT_WINDOW), Importance.LOW,
                        "QoS 1 and 2 messages the MQTT broker sends one subscriber before it waits for acknowledgements "
                                + "(an MQTT 5 client's receive maximum lowers it). 50 is HiveMQ CE's own value; 1000 took 2.4x "
                                + "as many events to one backlogged subscriber, but a retained message served on subscribe was then "
                                + "sometimes not delivered. One value per JVM: HiveMQ keeps it in a static field, so edges sharing "
                                + "a JVM (the embedded mesh) share the last started edge's value.")
                .define(TRACE_SAMPLE_RATE, Type.DOUBLE, TraceSampler.DEFAULT_RATE, Range.between(0, 1), Importance.LOW,
                        "Share of published events traced at every hop (0..1), beside those that ask for a trace.")
                .define(REPLICATION_FACTOR, Type.SHORT, (short) 1, Range.atLeast(1), Importance.MEDIUM,
                        "Replication factor of the region's contract topics when the edge creates missing ones.")
                .define(DELIVERY_MODE, Type.STRING, "direct", ConfigDef.ValidString.in("direct", "routed"), Importance.MEDIUM,
                        "How the edge gets its region's events: direct reads all of mesh.events (lowest latency, each edge pays "
                                + "for the whole region's traffic); routed reads only its slot of mesh.deliveries, where the router "
                                + "copies the events its subscribers want (a region scales by adding edges; one router commit more).")
                .define(DELIVERY_PARTITION, Type.INT, null, ConfigSchema.optional(Range.atLeast(0)), Importance.LOW,
                        "Routed mode: the slot (partition of mesh.deliveries) this edge reads; give each edge of a region its own. "
                                + "Unset: derived from the edge's id.")
                .define(MQTT_QUEUE_MAX_MESSAGES, Type.INT, MqttSessionSettings.DEFAULT_MAX_QUEUED_MESSAGES,
                        Range.between(1, MqttSessionSettings.MAX_QUEUED_MESSAGES), Importance.MEDIUM,
                        "Messages one MQTT session may have queued (client offline with a persistent session, or not acknowledging "
                                + "fast enough); beyond it edge.mqtt.queue.overflow applies, and each dropped message is counted "
                                + "(mesh_edge_mqtt_dropped_total) and logged.")
                .define(MQTT_QUEUE_OVERFLOW, Type.STRING, MqttSessionSettings.Overflow.DISCARD.value(),
                        ConfigDef.ValidString.in("discard", "discard-oldest"), Importance.MEDIUM,
                        "What a full MQTT session queue does with one more message: discard drops the new one, discard-oldest "
                                + "drops the oldest queued one.")
                .define(MQTT_DATA_DIR, Type.STRING, null, ConfigSchema.optional(new ConfigDef.NonEmptyStringWithoutControlChars()),
                        Importance.MEDIUM, "Directory where the MQTT listener keeps persistent sessions (subscriptions, queued "
                                + "messages) and its read positions, so that they survive an edge restart; one per edge. "
                                + "Unset: in memory, lost when the edge stops.")
                .define(GROUP_LAG_FRAMES, Type.INT, ConsumerGroups.DEFAULT_LAG_FRAMES, Range.atLeast(1), Importance.LOW,
                        "Frames a consumer group member (WebSocket or gRPC) may have unsent before it counts as lagging: "
                                + "it then gets no new events of the group while another member has fewer.")
                .define(INTEREST_GRACE, Type.STRING, "5s",
                        ConfigSchema.duration(d -> !d.isNegative() && d.toMinutes() <= 10, "0ms..10m"), Importance.MEDIUM,
                        "How long the interest of a WebSocket or gRPC subscription whose connection ended without unsubscribing "
                                + "is kept, so that a client reconnecting to another edge of the region (failover) causes no "
                                + "withdrawal across the mesh; a killed edge's lease lasts at least this long too. 0ms withdraws at once.");
        DurableKeys.define(keys);
        SchemaKeys.define(keys);
        TlsKeys.define(keys, PREFIX, "the HTTP + WebSocket, gRPC and MQTT ports");
        AuthKeys.define(keys, AUTH);
        return new ConfigSchema("edge", keys, List.of(MeshKeys.KAFKA));
    }

    /**
     * The edge's settings from its loaded configuration.
     *
     * @param meshRegions every region of the topology
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad value
     */
    public static EdgeConfig build(MeshConfig config, Set<String> meshRegions) {
        String region = config.string(MeshKeys.REGION);
        String brokerId = config.string(BROKER_ID);
        Duration hold = config.duration(MQTT_SUBACK_HOLD);
        return config.build(() -> new EdgeConfig(region, brokerId == null ? region : brokerId, config.kafka(),
                config.string(HTTP_HOST), required(config, HTTP_PORT), config.integer(MAX_PAYLOAD_BYTES),
                subscriberQueue(config), config.duration(LEASE_TTL), required(config, GRPC_PORT),
                required(config, MQTT_PORT), meshRegions, hold, config.decimal(TRACE_SAMPLE_RATE), delivery(config),
                config.integer(MQTT_INFLIGHT_WINDOW), mqttSessions(config), config.integer(GROUP_LAG_FRAMES),
                DurableKeys.build(config), config.duration(INTEREST_GRACE), config.integer(AMQP_PORT)));
    }

    /**
     * The TLS of the edge's listeners ({@code edge.tls.*}); the stores are opened once here.
     *
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad value
     */
    public static TlsSettings tls(MeshConfig config) {
        return TlsKeys.build(config, PREFIX);
    }

    /**
     * How the edge authenticates its clients, from its loaded configuration; pass it to
     * {@link EdgeBridge#start(EdgeConfig, AuthSettings)}.
     *
     * @throws io.meshwork.core.config.ConfigError naming the key when auth is enabled without a key source, issuer or audience
     */
    public static AuthSettings auth(MeshConfig config) {
        return AuthKeys.build(config, AUTH);
    }

    /**
     * Whether and how the edge checks payloads against registry schemas ({@code edge.schemas.*},
     * {@link SchemaKeys}); pass it to {@link EdgeBridge#start(EdgeConfig, TlsSettings, AuthSettings, SchemaSettings)}.
     *
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad value
     */
    public static SchemaSettings schemas(MeshConfig config) {
        return SchemaKeys.build(config);
    }

    private static SubscriberQueueSettings subscriberQueue(MeshConfig config) {
        return new SubscriberQueueSettings(config.integer(SUBSCRIBER_QUEUE_MAX_MESSAGES),
                config.longValue(SUBSCRIBER_QUEUE_MAX_BYTES), config.duration(SUBSCRIBER_WRITE_DEADLINE));
    }

    private static MqttSessionSettings mqttSessions(MeshConfig config) {
        String dataDir = config.string(MQTT_DATA_DIR);
        return new MqttSessionSettings(config.integer(MQTT_QUEUE_MAX_MESSAGES),
                MqttSessionSettings.Overflow.of(config.string(MQTT_QUEUE_OVERFLOW)),
                dataDir == null ? null : java.nio.file.Path.of(dataDir));
    }

    private static EdgeDelivery delivery(MeshConfig config) {
        Integer partition = config.integer(DELIVERY_PARTITION);
        if (!"routed".equals(config.string(DELIVERY_MODE))) {
            return new EdgeDelivery(EdgeDelivery.Mode.DIRECT, partition == null ? EdgeDelivery.HASHED : partition);
        }
        return partition == null ? EdgeDelivery.routed() : EdgeDelivery.routed(partition);
    }

    private static int required(MeshConfig config, String key) {
        Integer value = config.integer(key);
        if (value == null) {
            throw config.error(new io.meshwork.core.config.InvalidSettingException(key, "missing required value"));
        }
        return value;
    }

    private static ConfigDef.Validator port() {
        return ConfigSchema.optional(Range.between(EdgeConfig.DISABLED, 65535));
    }
}
