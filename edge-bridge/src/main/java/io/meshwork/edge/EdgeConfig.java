package io.meshwork.edge;

import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.edge.internal.group.ConsumerGroups;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Settings of one region's edge bridge. Validated when built, so a bad value fails at start-up
 * with the name of the setting.
 *
 * @param region           region this edge serves, e.g. {@code us-east-1}
 * @param brokerId         id of the region's broker on routing paths
 * @param kafka            client settings of the regional Kafka cluster (every {@code kafka.*} key)
 * @param httpHost         interface the HTTP + WebSocket listener binds to
 * @param httpPort         HTTP + WebSocket port; 0 picks a free one
 * @param maxPayloadBytes  largest event payload accepted (HTTP 413 / error frame above it)
 * @param subscriberQueue  what one WebSocket or gRPC subscriber connection may have queued before
 *                         its subscriptions' delivery policies drop events or disconnect it
 * @param leaseTtl         how long the edge's subscriptions outlive it if it dies without
 *                         deregistering; renewed every quarter of it
 * @param grpcPort         gRPC port; 0 picks a free one, {@link #DISABLED} serves no gRPC
 * @param mqttPort         MQTT port; 0 picks a free one, {@link #DISABLED} serves no MQTT
 * @param meshRegions      every region of the mesh (this one included): a subscription is
 *                         confirmed mesh-wide once the routers of all of them route for it
 * @param mqttSubackHold   how long an MQTT SUBACK may wait for the subscription to be active in
 *                         every region ({@link Duration#ZERO}: answer at once); granted anyway
 *                         when the time is up
 * @param traceSampleRate  share of published events traced at every hop (0..1, default 1 %) beside
 *                         those whose {@code traceparent} says sampled or that ask for a trace
 * @param delivery         how the edge reads the region's events: all of {@code mesh.events}
 *                         (direct, the default) or its slot of {@code mesh.deliveries} (routed)
 * @param mqttInflightWindow QoS 1 and 2 messages the MQTT broker sends a client before it waits
 *                         for acknowledgements (bounded further by an MQTT 5 client's receive
 *                         maximum); HiveMQ CE's built-in value is 50
 * @param mqttSessions     how the MQTT listener keeps persistent sessions: queue limit, overflow
 *                         policy, data directory
 * @param groupLagFrames   frames unsent from which a consumer group member counts as lagging and
 *                         gets no new events while another member has fewer
 * @param durable          durable subscriptions (window, BACKPRESSURED thresholds, resume token key)
 *                         and the backpressure on publishers (throttle, webhooks)
 * @param interestGrace    how long the interest of a WebSocket or gRPC subscription whose
 *                         connection ended without unsubscribing is kept, so that a client
 *                         reconnecting to another edge of the region causes no withdrawal across
 *                         the mesh; a killed edge's lease lasts at least this long too
 * @param amqpPort         AMQP 1.0 port; 0 picks a free one, {@link #DISABLED} serves no AMQP
 */
public record EdgeConfig(String region, String brokerId, KafkaClients kafka, String httpHost, int httpPort,
                         int maxPayloadBytes, SubscriberQueueSettings subscriberQueue, Duration leaseTtl, int grpcPort, int mqttPort,
                         Set<String> meshRegions, Duration mqttSubackHold, double traceSampleRate,
                         EdgeDelivery delivery, int mqttInflightWindow, MqttSessionSettings mqttSessions,
                         int groupLagFrames, DurableSettings durable, Duration interestGrace, int amqpPort) {

    /** Port value that switches a protocol listener off. */
    public static final int DISABLED = -1;

    /** Default payload limit: 1 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
    /** Default lease on the edge's subscriptions: 10 s. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
    /** Default grace period of a departed subscriber's interest: 5 s, several reconnects with backoff. */
    public static final Duration DEFAULT_INTEREST_GRACE = Duration.ofSeconds(5);

    /**
     * Default MQTT in-flight window per client: HiveMQ CE's own 50. Larger windows carry more to a
     * subscriber with a backlog, but with 1,000 a retained message served on subscribe was
     * sometimes not delivered (see docs/ARCHITECTURE.md, MQTT), so raising it is the operator's call.
     */
    public static final int DEFAULT_MQTT_INFLIGHT_WINDOW = 50;
    /** Largest MQTT in-flight window: the packet identifiers one client can have in use. */
    public static final int MAX_MQTT_INFLIGHT_WINDOW = 65_535;

    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public EdgeConfig {
        require(region != null && REGION.matcher(region).matches(), MeshKeys.REGION, region, "must match " + REGION.pattern());
        require(brokerId != null && !brokerId.isBlank() && !brokerId.contains(","), EdgeKeys.BROKER_ID, brokerId,
                "must be non-blank and free of commas");
        if (kafka == null) {
            throw new InvalidSettingException("kafka.bootstrap.servers", "missing required value");
        }
        require(httpHost != null && !httpHost.isBlank(), EdgeKeys.HTTP_HOST, httpHost, "must be non-blank");
        require(httpPort >= 0 && httpPort <= 65535, EdgeKeys.HTTP_PORT, httpPort, "must be within 0..65535");
        require(maxPayloadBytes > 0 && maxPayloadBytes <= 3 * 1024 * 1024, EdgeKeys.MAX_PAYLOAD_BYTES, maxPayloadBytes,
                "must be within 1..3145728 (the brokers accept 4 MiB records)");
        subscriberQueue = subscriberQueue == null ? SubscriberQueueSettings.DEFAULTS : subscriberQueue;
        require(grpcPort >= DISABLED && grpcPort <= 65535, EdgeKeys.GRPC_PORT, grpcPort, "must be within 0..65535, or -1 for none");
        require(mqttPort >= DISABLED && mqttPort <= 65535, EdgeKeys.MQTT_PORT, mqttPort, "must be within 0..65535, or -1 for none");
        meshRegions = meshRegions == null ? Set.of() : Set.copyOf(meshRegions);
        require(meshRegions.contains(region), MeshKeys.TOPOLOGY, meshRegions, "must contain the edge's own region " + region);
        require(mqttSubackHold != null && !mqttSubackHold.isNegative() && mqttSubackHold.toMinutes() <= 5,
                EdgeKeys.MQTT_SUBACK_HOLD, mqttSubackHold, "must be within 0..5 min");
        require(leaseTtl != null && leaseTtl.toMillis() >= 400 && leaseTtl.toMinutes() <= 60, EdgeKeys.LEASE_TTL, leaseTtl,
                "must be within 400 ms..60 min");
        require(delivery != null, EdgeKeys.DELIVERY_MODE, delivery, "must be direct or routed");
        require(mqttInflightWindow >= 1 && mqttInflightWindow <= MAX_MQTT_INFLIGHT_WINDOW, EdgeKeys.MQTT_INFLIGHT_WINDOW,
                mqttInflightWindow, "must be within 1..65535");
        require(traceSampleRate >= 0 && traceSampleRate <= 1, EdgeKeys.TRACE_SAMPLE_RATE, traceSampleRate, "must be within 0..1");
        mqttSessions = mqttSessions == null ? MqttSessionSettings.DEFAULTS : mqttSessions;
        require(groupLagFrames >= 1, EdgeKeys.GROUP_LAG_FRAMES, groupLagFrames, "must be positive");
        durable = durable == null ? DurableSettings.DEFAULTS : durable;
        require(interestGrace != null && !interestGrace.isNegative() && interestGrace.toMinutes() <= 10, EdgeKeys.INTEREST_GRACE,
                interestGrace, "must be within 0..10 min");
        require(amqpPort >= DISABLED && amqpPort <= 65535, EdgeKeys.AMQP_PORT, amqpPort, "must be within 0..65535, or -1 for none");
    }

    /** Traces {@code rate} (0..1) of the published events at every hop, beside those that ask for it. */
    public EdgeConfig withTraceSampleRate(double rate) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, rate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** An edge for {@code region} on a plaintext cluster at {@code bootstrapServers} with every other setting at its default. */
    public static EdgeConfig defaults(String region, String bootstrapServers) {
        return defaults(region, KafkaClients.of(bootstrapServers));
    }

    /** An edge for {@code region} on the cluster {@code kafka} with every other setting at its default. */
    public static EdgeConfig defaults(String region, KafkaClients kafka) {
        return new EdgeConfig(region, region, kafka, "0.0.0.0", 0, DEFAULT_MAX_PAYLOAD_BYTES,
                SubscriberQueueSettings.DEFAULTS, DEFAULT_LEASE_TTL,
                DISABLED, DISABLED, Set.of(region), Duration.ZERO, io.meshwork.core.trace.TraceSampler.DEFAULT_RATE,
                EdgeDelivery.DIRECT, DEFAULT_MQTT_INFLIGHT_WINDOW, MqttSessionSettings.DEFAULTS, ConsumerGroups.DEFAULT_LAG_FRAMES,
                DurableSettings.DEFAULTS, DEFAULT_INTEREST_GRACE, DISABLED);
    }

    public EdgeConfig withHttp(String host, int port) {
        return new EdgeConfig(region, brokerId, kafka, host, port, maxPayloadBytes, subscriberQueue, leaseTtl, grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    public EdgeConfig withMaxPayloadBytes(int bytes) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, bytes, subscriberQueue, leaseTtl, grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Bounds each subscriber connection's queue as {@code settings} say. */
    public EdgeConfig withSubscriberQueue(SubscriberQueueSettings settings) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, settings, leaseTtl, grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    public EdgeConfig withLeaseTtl(Duration ttl) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, ttl, grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Serves gRPC on {@code port} (0 = a free one). */
    public EdgeConfig withGrpc(int port) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                port, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Serves MQTT on {@code port} (0 = a free one). */
    public EdgeConfig withMqtt(int port) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, port, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Serves AMQP 1.0 on {@code port} (0 = a free one). */
    public EdgeConfig withAmqp(int port) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, port);
    }

    /** Holds MQTT SUBACKs until the subscription is active in every region, for at most {@code hold}. */
    public EdgeConfig withMqttSubackHold(Duration hold) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, hold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** The regions whose routers must route for a subscription before it is confirmed mesh-wide. */
    public EdgeConfig withMeshRegions(Set<String> regions) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, regions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Reads the region's events {@code delivery}'s way (direct or routed). */
    public EdgeConfig withDelivery(EdgeDelivery delivery) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Lets the MQTT broker send each client up to {@code messages} QoS 1/2 messages before it waits for acknowledgements. */
    public EdgeConfig withMqttInflightWindow(int messages) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, messages, mqttSessions, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Keeps MQTT persistent sessions as {@code settings} say (queue limit, overflow, data directory). */
    public EdgeConfig withMqttSessions(MqttSessionSettings settings) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, settings, groupLagFrames, durable, interestGrace, amqpPort);
    }

    /** Counts a consumer group member with {@code frames} or more unsent frames as lagging. */
    public EdgeConfig withGroupLagFrames(int frames) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions, frames, durable, interestGrace, amqpPort);
    }

    /** Serves durable subscriptions and pushes back on publishers as {@code settings} say. */
    public EdgeConfig withDurable(DurableSettings settings) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions,
                groupLagFrames, settings, interestGrace, amqpPort);
    }

    /** Keeps a departed subscriber's interest for {@code grace} (zero: withdrawn at once). */
    public EdgeConfig withInterestGrace(Duration grace) {
        return new EdgeConfig(region, brokerId, kafka, httpHost, httpPort, maxPayloadBytes, subscriberQueue, leaseTtl,
                grpcPort, mqttPort, meshRegions, mqttSubackHold, traceSampleRate, delivery, mqttInflightWindow, mqttSessions,
                groupLagFrames, durable, grace, amqpPort);
    }

    /** The regional cluster's bootstrap servers. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    private static void require(boolean valid, String key, Object value, String rule) {
        InvalidSettingException.require(valid, key, Objects.toString(value), rule);
    }
}
