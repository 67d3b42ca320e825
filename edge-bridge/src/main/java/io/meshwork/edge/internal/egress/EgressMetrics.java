package io.meshwork.edge.internal.egress;

import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus figures of the subscriber queues of one region's edges for one protocol. Labels are
 * {@code region}, {@code protocol} and {@code policy} only, never a connection: per-connection
 * figures would make one series per client. The worst connection shows as
 * {@code mesh_edge_subscriber_queue_bytes_max}, how many are losing events as
 * {@code mesh_edge_subscriber_lagging}, and each drop episode is logged once with its connection.
 *
 * <ul>
 *   <li>{@code mesh_edge_subscriber_dropped_total{region,protocol,policy}}: events dropped;</li>
 *   <li>{@code mesh_edge_subscriber_drop_episodes_total{region,protocol,policy}}: times a
 *       subscription started losing events;</li>
 *   <li>{@code mesh_edge_subscriber_failover_gap_events_total{region,protocol,policy}}: events
 *       non-durable subscriptions missed while they moved from a failed edge, told in
 *       {@code dropped_before}; {@code mesh_edge_subscriber_failover_gaps_total{...,exact}}: such
 *       gaps, {@code exact="false"} when past {@code edge.failover.gap.count.max} (an upper bound);</li>
 *   <li>{@code mesh_edge_subscriber_disconnected_total{region,protocol}}: connections ended
 *       under the disconnect policy;</li>
 *   <li>{@code mesh_edge_subscriber_queue_messages / _queue_bytes{region,protocol}}: queued now,
 *       over every connection; {@code _queue_bytes_max}: the fullest connection.</li>
 * </ul>
 */
public final class EgressMetrics {

    private static final Map<String, EgressMetrics> BY_REGION_AND_PROTOCOL = new ConcurrentHashMap<>();

    private final Map<DeliveryPolicy, Counter> dropped = new EnumMap<>(DeliveryPolicy.class);
    private final Map<DeliveryPolicy, Counter> episodes = new EnumMap<>(DeliveryPolicy.class);
    private final Map<DeliveryPolicy, Counter> gapEvents = new EnumMap<>(DeliveryPolicy.class);
    private final Map<DeliveryPolicy, Counter> exactGaps = new EnumMap<>(DeliveryPolicy.class);
    private final Map<DeliveryPolicy, Counter> boundedGaps = new EnumMap<>(DeliveryPolicy.class);
    private final Counter disconnected;
    // Every edge of the region in this JVM adds its connections' queues here.
    private final Set<EgressQueue> queues = ConcurrentHashMap.newKeySet();

    private EgressMetrics(String region, String protocol) {
        for (DeliveryPolicy policy : DeliveryPolicy.values()) {
            dropped.put(policy, Counter.builder("mesh.edge.subscriber.dropped")
                    .description("Events a lagging subscriber lost under its delivery policy")
                    .tags("region", region, "protocol", protocol, "policy", policy.wireName())
                    .register(MeshMetrics.registry()));
            episodes.put(policy, Counter.builder("mesh.edge.subscriber.drop.episodes")
                    .description("Times a subscription started losing events (each logged once, with its connection)")
                    .tags("region", region, "protocol", protocol, "policy", policy.wireName())
                    .register(MeshMetrics.registry()));
            gapEvents.put(policy, Counter.builder("mesh.edge.subscriber.failover.gap.events")
                    .description("Events subscriptions missed while they moved from a failed edge (told in dropped_before)")
                    .tags("region", region, "protocol", protocol, "policy", policy.wireName())
                    .register(MeshMetrics.registry()));
            exactGaps.put(policy, gaps(region, protocol, policy, true));
            boundedGaps.put(policy, gaps(region, protocol, policy, false));
        }
        disconnected = Counter.builder("mesh.edge.subscriber.disconnected")
                .description("Subscriber connections the edge ended under delivery_policy=disconnect")
                .tags("region", region, "protocol", protocol)
                .register(MeshMetrics.registry());
        Gauge.builder("mesh.edge.subscriber.queue.messages", this, m -> m.sum(false))
                .description("Events queued for subscriber connections, unsent")
                .tags("region", region, "protocol", protocol).register(MeshMetrics.registry());
        Gauge.builder("mesh.edge.subscriber.queue.bytes", this, m -> m.sum(true))
                .description("Bytes of events queued for subscriber connections, unsent")
                .tags("region", region, "protocol", protocol).register(MeshMetrics.registry());
        Gauge.builder("mesh.edge.subscriber.queue.bytes.max", this, EgressMetrics::maxBytes)
                .description("Bytes queued for the fullest subscriber connection")
                .tags("region", region, "protocol", protocol).register(MeshMetrics.registry());
        Gauge.builder("mesh.edge.subscriber.lagging", this, EgressMetrics::lagging)
                .description("Subscriber connections losing events now")
                .tags("region", region, "protocol", protocol).register(MeshMetrics.registry());
    }

    /** The figures of {@code protocol} ({@code websocket}, {@code grpc}) in {@code region}. */
    public static EgressMetrics of(String region, String protocol) {
        return BY_REGION_AND_PROTOCOL.computeIfAbsent(region + "/" + protocol, key -> new EgressMetrics(region, protocol));
    }

    /** Counts {@code queue} in the gauges until {@link #remove}. */
    public void add(EgressQueue queue) {
        queues.add(queue);
    }

    public void remove(EgressQueue queue) {
        queues.remove(queue);
    }

    /** The connection was ended under the disconnect policy. */
    public void disconnected() {
        disconnected.increment();
    }

    void dropped(DeliveryPolicy policy, int events, boolean episodeStarted) {
        dropped.get(policy).increment(events);
        if (episodeStarted) {
            episodes.get(policy).increment();
        }
    }

    private static Counter gaps(String region, String protocol, DeliveryPolicy policy, boolean exact) {
        return Counter.builder("mesh.edge.subscriber.failover.gaps")
                .description("Failover gaps told to resumed subscriptions; exact=false: an upper bound past edge.failover.gap.count.max")
                .tags("region", region, "protocol", protocol, "policy", policy.wireName(), "exact", String.valueOf(exact))
                .register(MeshMetrics.registry());
    }

    void failoverGap(DeliveryPolicy policy, long events, boolean exact) {
        gapEvents.get(policy).increment(events);
        (exact ? exactGaps : boundedGaps).get(policy).increment();
    }

    private double sum(boolean bytes) {
        long total = 0;
        for (EgressQueue queue : queues) {
            total += bytes ? queue.bytes() : queue.messages();
        }
        return total;
    }

    private double maxBytes() {
        long max = 0;
        for (EgressQueue queue : queues) {
            max = Math.max(max, queue.bytes());
        }
        return max;
    }

    private double lagging() {
        return queues.stream().filter(EgressQueue::isDropping).count();
    }
}
