package io.meshwork.bench.latency;

import static org.awaitility.Awaitility.await;

import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.CpuMeter;
import io.meshwork.bench.harness.StageFigures;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Pacer;
import io.meshwork.bench.harness.Percentiles;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.launcher.RegionEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Item 3: publish → deliver latency in one region (us-east-1), 500-byte events at a fixed
 * open-loop rate, for REST → WebSocket and MQTT → MQTT beside a plain Kafka produce → consume on
 * the same broker, each rate run for every path in turn in the same mesh. Latency runs from the
 * time each publish was scheduled (carried in the payload) to its arrival at the subscriber.
 */
public final class LocalLatencyBench {

    static final int EVENT_BYTES = 500;
    private static final double TARGET_P99_MS = 5;
    private static final double TARGET_RATIO = 1.25;
    private static final Duration DRAIN = Duration.ofSeconds(60);
    private static final Duration STALLED = Duration.ofSeconds(5);

    private LocalLatencyBench() {
    }

    /** A path's figures at one rate. */
    record Result(String path, int rate, Percentiles millis, long sent, long delivered, long failed, double achievedPerSecond,
                  List<Row> stages, Map<String, Long> cpuNanosByGroup, long meshCpuNanos) {

        /** The mesh's CPU per delivered event, in microseconds. */
        double meshCpuMicrosPerEvent() {
            return delivered == 0 ? Double.NaN : meshCpuNanos / 1000.0 / delivered;
        }
    }

    public static List<Row> run(BenchMesh mesh, int[] rates, Duration warmup, Duration measure) throws Exception {
        RegionEndpoints region = mesh.mesh().region(US);
        List<Supplier<LatencyPath>> paths = List.of(() -> new RawKafka(mesh, US), () -> new RestToWebSocket(region),
                () -> new MqttToMqtt(region), () -> new KafkaToWebSocket(mesh, US));
        List<Row> rows = new ArrayList<>();
        // The whole JVM first, every path once, results discarded: a path's own warm-up is not
        // enough while the mesh is minutes old. Measured one after another in a fresh mesh,
        // REST -> WebSocket at 1k/s went 28.6, 18.0, 14.5, 7.8, 4.6 ms at p50 on five edges, then
        // 3.5 ... 0.9 ms on the same five: the latest measured was the fastest, whatever the edge.
        for (Supplier<LatencyPath> path : paths) {
            measure(path.get(), rates[0], warmup, measure);
        }
        for (int rate : rates) {
            List<Result> results = new ArrayList<>();
            for (Supplier<LatencyPath> path : paths) {
                results.add(measure(path.get(), rate, warmup, measure));
            }
            rows.addAll(rows(results));
        }
        return rows;
    }

    /**
     * Warms the path up at the measured rate and lets its backlog drain, then measures a fresh run.
     * A freshly started edge runs its HTTP and MQTT paths interpreted at first; on 2 cores the
     * compiler then competes with the mesh for seconds (a cold REST path here acknowledged ~450 of
     * 1,000 publishes a second for its first 8 s, then kept pace at ~25 ms), and a warm-up that
     * flows straight into the measurement would measure that backlog, not the path.
     */
    static Result measure(LatencyPath path, int rate, Duration warmup, Duration measure) throws Exception {
        try (path) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) rate * (measure.toSeconds() + 2) * 2);
            LatencyRecorder recorder = new LatencyRecorder(capacity);
            path.open(recorder);
            Pacer.Outcome warm = Pacer.run(rate, warmup, (sequence, scheduled) -> path.publish(sequence, scheduled, EVENT_BYTES));
            awaitStragglers(recorder, path, warm.sent() - warm.failed());
            long failedInWarmup = path.failures();
            long receivedInWarmup = recorder.received();
            StageFigures stagesBefore = StageFigures.read();
            CpuMeter.Reading cpuBefore = CpuMeter.read();
            recorder.startMeasuring(System.nanoTime());
            // Sequence numbers continue after the warm-up's, so every event id stays unique.
            Pacer.Outcome outcome = Pacer.run(rate, measure,
                    (sequence, scheduled) -> path.publish(warm.sent() + sequence, scheduled, EVENT_BYTES));
            awaitStragglers(recorder, path, receivedInWarmup + failedInWarmup + outcome.sent() - outcome.failed());
            CpuMeter.Reading cpuAfter = CpuMeter.read();
            List<Row> stages = StageFigures.read().rowsSince(stagesBefore, path.name() + " @ " + rate + "/s");
            return new Result(path.name(), rate, recorder.millis(), outcome.sent(), recorder.measured(),
                    outcome.failed() + path.failures() - failedInWarmup, outcome.ratePerSecond(), stages,
                    cpuAfter.since(cpuBefore), cpuAfter.meshNanosSince(cpuBefore));
        }
    }

    /**
     * Waits until every publish that did not fail was delivered, or deliveries stopped coming for
     * {@link #STALLED} (lost ones are then reported as missing), at most {@link #DRAIN}.
     */
    private static void awaitStragglers(LatencyRecorder recorder, LatencyPath path, long expected) {
        long[] last = {-1, System.nanoTime()}; // deliveries seen, when that count last moved
        try {
            await().atMost(DRAIN).pollInterval(Duration.ofMillis(20)).until(() -> {
                long count = recorder.received();
                if (count != last[0]) {
                    last[0] = count;
                    last[1] = System.nanoTime();
                }
                return count + path.failures() >= expected || System.nanoTime() - last[1] >= STALLED.toNanos();
            });
        } catch (ConditionTimeoutException e) {
            // Still flowing after DRAIN: what is missing is reported as missing.
        }
    }

    static List<Row> rows(List<Result> results) {
        Result raw = results.get(0);
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            boolean isRaw = r == raw;
            String label = String.format(Locale.ROOT, "%s @ %d/s (achieved %.0f/s, %d/%d delivered%s)", r.path(), r.rate(),
                    r.achievedPerSecond(), r.delivered(), r.sent(), r.failed() > 0 ? ", " + r.failed() + " failed" : "");
            String base = isRaw ? "-" : "raw Kafka ";
            rows.add(new Row("p50 " + label, ResultTable.ms(r.millis().p50()), isRaw ? "-" : base + ResultTable.ms(raw.millis().p50()),
                    isRaw ? "-" : ResultTable.ratio(r.millis().p50(), raw.millis().p50()), "-", "-"));
            boolean met = r.millis().p99() <= TARGET_P99_MS && r.millis().p99() <= TARGET_RATIO * raw.millis().p99()
                    && r.failed() == 0 && r.delivered() >= r.sent() * 0.99;
            rows.add(new Row("p99 " + label, ResultTable.ms(r.millis().p99()), isRaw ? "-" : base + ResultTable.ms(raw.millis().p99()),
                    isRaw ? "-" : ResultTable.ratio(r.millis().p99(), raw.millis().p99()),
                    isRaw ? "-" : "<= 5 ms and <= 1.25x raw", isRaw ? "-" : ResultTable.met(met)));
            rows.add(new Row("p99.9 " + label, ResultTable.ms(r.millis().p999()), isRaw ? "-" : base + ResultTable.ms(raw.millis().p999()),
                    isRaw ? "-" : ResultTable.ratio(r.millis().p999(), raw.millis().p999()), "-", "-"));
            rows.add(new Row("CPU per delivered event, whole JVM less load clients + PostgreSQL, " + label,
                    String.format(Locale.ROOT, "%.0f us", r.meshCpuMicrosPerEvent()),
                    isRaw ? "-" : String.format(Locale.ROOT, "raw Kafka %.0f us", raw.meshCpuMicrosPerEvent()),
                    isRaw ? "-" : ResultTable.ratio(r.meshCpuMicrosPerEvent(), raw.meshCpuMicrosPerEvent()), "-", "-"));
            r.cpuNanosByGroup().forEach((group, nanos) -> {
                if (nanos > 0 && r.delivered() > 0) {
                    rows.add(new Row("  CPU " + group + ", " + r.path() + " @ " + r.rate() + "/s",
                            String.format(Locale.ROOT, "%.1f us/event", nanos / 1000.0 / r.delivered()), "-", "-", "-", "-"));
                }
            });
            rows.addAll(r.stages());
        }
        return rows;
    }
}
