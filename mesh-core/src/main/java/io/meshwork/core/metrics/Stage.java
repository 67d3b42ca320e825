package io.meshwork.core.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The stages an event passes from its publish to its delivery, each a histogram
 * {@code mesh_stage_latency_seconds{stage}} on {@code /metrics}. Read together they say where
 * the time of a publish → deliver goes; a local delivery passes {@link #EDGE_INGEST},
 * {@link #APPEND_TO_EDGE_POLL} and {@link #POLL_TO_WRITE}, a remote one {@link #EDGE_INGEST},
 * {@link #ROUTER}, {@link #LINK}, {@link #ARRIVAL} and {@link #POLL_TO_WRITE}.
 *
 * <p>Stages that span two processes compare wall clocks ({@code mesh_stage_at}, record
 * timestamps): exact in the embedded mesh, as good as the hosts' clock sync elsewhere.
 */
public enum Stage {

    /** The edge received a publish (any protocol) → Kafka acknowledged it. */
    EDGE_INGEST("edge_ingest"),
    /** A local publish was appended to {@code mesh.events} → the edge's delivery poll returned it. */
    APPEND_TO_EDGE_POLL("append_to_edge_poll"),
    /** A local publish was appended to {@code mesh.events} → the origin router wrote it to a link topic. */
    ROUTER("router"),
    /** The router wrote it to a link topic → the destination router read it (the link and the WAN). */
    LINK("link"),
    /** The destination router read it → the destination edge's delivery poll returned it from {@code mesh.events}. */
    ARRIVAL("arrival"),
    /** The edge's delivery poll returned it → it was handed to every matching subscriber's socket. */
    POLL_TO_WRITE("poll_to_write");

    /** Metric name; Prometheus shows it as {@code mesh_stage_latency_seconds}. */
    public static final String METRIC = "mesh.stage.latency";

    private final String label;
    private final Timer timer;

    Stage(String label) {
        this.label = label;
        this.timer = Timer.builder(METRIC)
                .description("time an event spends in one stage of publish -> deliver")
                .tag("stage", label)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(MeshMetrics.registry());
    }

    /** The {@code stage} label value. */
    public String label() {
        return label;
    }

    /** Records a stage that took {@code nanos}; a negative span (clock skew) counts as zero. */
    public void recordNanos(long nanos) {
        timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Records a stage that started at {@code startedAtEpochMs} (a wall-clock stamp) and ends now. */
    public void recordSinceEpochMs(long startedAtEpochMs) {
        recordNanos(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - startedAtEpochMs));
    }

    /** How many events passed this stage in this process. */
    public long count() {
        return timer.count();
    }

    /** Mean time of this stage in this process, in milliseconds. */
    public double meanMillis() {
        return timer.mean(TimeUnit.MILLISECONDS);
    }
}
