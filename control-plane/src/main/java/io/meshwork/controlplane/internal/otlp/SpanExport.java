package io.meshwork.controlplane.internal.otlp;

import io.meshwork.controlplane.OtlpSettings;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.trace.TraceHop;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends trace hops to an OpenTelemetry collector as spans (OTLP/HTTP), off the trace writer's
 * thread: {@link #accept} only queues, one thread maps and exports in batches. A full queue
 * drops hops, counted, so a slow or absent collector never holds up the feed that stores them.
 *
 * <p>Every span ends in {@code mesh_traces_otlp_spans_total} as exported, failed (the collector
 * refused it or could not be reached) or dropped (queue full). A failure is logged once when
 * export stops working and once when it works again, naming the endpoint, without a stack trace.
 */
public final class SpanExport implements Consumer<List<TraceHop>>, AutoCloseable {

    /** Hops waiting for export: a minute of a busy mesh's sampled traffic; beyond it they are dropped. */
    static final int QUEUE_CAPACITY = 20_000;
    /** Spans per export request. */
    static final int BATCH_SIZE = 512;

    private static final Logger LOG = LoggerFactory.getLogger(SpanExport.class);
    /**
     * The OTLP exporter logs every failed request through java.util.logging, with a stack trace
     * for an unreachable collector. This class logs state changes instead; the reference keeps the
     * level from being garbage collected with the logger.
     */
    private static final java.util.logging.Logger EXPORTER_LOG = java.util.logging.Logger.getLogger("io.opentelemetry.exporter");

    static {
        EXPORTER_LOG.setLevel(Level.OFF);
    }

    private final OtlpSettings settings;
    private final SpanExporter exporter;
    private final HopSpans spans = new HopSpans();
    private final BlockingQueue<TraceHop> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Counter exported;
    private final Counter failed;
    private final Counter dropped;
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether the last export failed; only the export thread writes it. */
    private boolean failing;
    private volatile boolean dropping;

    /** Starts exporting as {@code settings} say (which must be enabled). */
    public SpanExport(OtlpSettings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("OTLP export is off");
        }
        this.settings = settings;
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.endpoint().toString())
                .setTimeout(settings.timeout());
        settings.headers().forEach(builder::addHeader);
        this.exporter = builder.build();
        this.exported = counter("exported", "Trace hops the OTLP collector accepted as spans");
        this.failed = counter("failed", "Trace hops whose export the OTLP collector refused or that could not reach it");
        this.dropped = counter("dropped", "Trace hops not exported because the OTLP export queue was full");
        this.thread = new Thread(this::run, "control-plane-otlp-export");
        this.thread.setDaemon(true);
        this.thread.start();
        LOG.info("exporting trace hops as OpenTelemetry spans to {}", settings);
    }

    private static Counter counter(String outcome, String description) {
        return Counter.builder("mesh.traces.otlp.spans").description(description).tag("outcome", outcome)
                .register(MeshMetrics.registry());
    }

    /** Queues {@code hops} for export; never waits. */
    @Override
    public void accept(List<TraceHop> hops) {
        int lost = 0;
        for (TraceHop hop : hops) {
            if (!queue.offer(hop)) {
                lost++;
            }
        }
        if (lost > 0) {
            dropped.increment(lost);
            if (!dropping) {
                dropping = true;
                LOG.warn("OTLP export to {} is behind: its queue of {} hops is full, {} hops dropped (see "
                        + "mesh_traces_otlp_spans_total{outcome=\"dropped\"})", settings.endpoint(), QUEUE_CAPACITY, lost);
            }
        } else if (dropping && queue.remainingCapacity() > QUEUE_CAPACITY / 2) {
            dropping = false;
            LOG.info("OTLP export to {} caught up: hops are queued again", settings.endpoint());
        }
    }

    private void run() {
        List<TraceHop> batch = new ArrayList<>(BATCH_SIZE);
        while (running || !queue.isEmpty()) {
            try {
                TraceHop first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH_SIZE - 1);
                export(batch);
            } catch (InterruptedException e) {
                if (running) {
                    continue; // only close() interrupts, and it clears running first
                }
                Thread.currentThread().interrupt();
                break; // what is still queued is counted below
            } catch (RuntimeException e) {
                // A hop the mapping cannot take must not stop the export of the others.
                failed.increment(batch.size());
                LOG.warn("OTLP export to {}: {} spans not sent: {}", settings.endpoint(), batch.size(), e.toString());
            } finally {
                batch.clear();
            }
        }
        int left = queue.size();
        if (left > 0) {
            dropped.increment(left);
            LOG.warn("OTLP export to {} stopped with {} hops not sent", settings.endpoint(), left);
        }
    }

    private void export(List<TraceHop> batch) throws InterruptedException {
        List<SpanData> data = new ArrayList<>(batch.size());
        batch.forEach(hop -> data.add(spans.span(hop)));
        CompletableResultCode result = exporter.export(data);
        // The exporter gives up after its own timeout (retries included); the margin only guards against a hang.
        result.join(settings.timeout().toMillis() * 6 + 1_000, TimeUnit.MILLISECONDS);
        if (result.isSuccess()) {
            exported.increment(data.size());
            if (failing) {
                failing = false;
                LOG.info("OTLP export to {} works again", settings.endpoint());
            }
            return;
        }
        failed.increment(data.size());
        if (!failing) {
            failing = true;
            LOG.warn("OTLP export to {} failed: {}; its {} spans, and those of every export until one works again, are counted "
                    + "in mesh_traces_otlp_spans_total{outcome=\"failed\"}", settings.endpoint(), reason(result), data.size());
        }
    }

    private static String reason(CompletableResultCode result) {
        Throwable failure = result.getFailureThrowable();
        if (failure == null) {
            return result.isDone() ? "refused" : "no answer in time";
        }
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof java.net.ConnectException) {
            return "cannot connect (" + (cause.getMessage() != null ? cause.getMessage() : "ConnectException") + ")";
        }
        return cause.getMessage() != null ? cause.getClass().getSimpleName() + ": " + cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Exports what is queued, for at most 3 s (a stopping mesh must not wait on a collector); what is left is counted as dropped. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Math.min(settings.timeout().toMillis() + 1_000, 3_000));
            if (thread.isAlive()) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exporter.shutdown().join(1, TimeUnit.SECONDS);
    }
}
