package io.meshwork.bench.latency;

import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.ThrottledWsSubscriber;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.launcher.RegionEndpoints;
import io.micrometer.core.instrument.Gauge;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 15's slow-subscriber target: one WebSocket subscriber reads at 10 % of the rate beside a
 * fast one at 5k/s (REST → WebSocket, us-east-1); the fast subscriber's p99 must stay within 10 %
 * of a run without the slow one, and the edge's memory bounded. The same path runs twice in the
 * same mesh, first without the slow subscriber (the baseline), then with it (delivery_policy
 * drop-oldest, the default); during the second run the edge's subscriber queue bytes and the
 * JVM's heap are sampled.
 */
public final class SlowSubscriberBench {

    private static final double TARGET_RATIO = 1.10;
    /** The edge's default bound per connection ({@code edge.subscriber.queue.max.bytes}). */
    private static final long QUEUE_BOUND = 4L * 1024 * 1024;

    private SlowSubscriberBench() {
    }

    /** REST → WebSocket with a slow subscriber on the same topic, and the edge's memory sampled meanwhile. */
    private static final class WithSlowSubscriber implements LatencyPath {
        private final RestToWebSocket fast;
        private final RegionEndpoints region;
        private final int slowRate;
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong maxQueueBytes = new AtomicLong();
        private final AtomicLong maxHeap = new AtomicLong();
        private ThrottledWsSubscriber slow;
        long slowEvents;
        long slowDropped;
        long heapAfterGc;

        WithSlowSubscriber(RegionEndpoints region, int slowRate) {
            this.fast = new RestToWebSocket(region);
            this.region = region;
            this.slowRate = slowRate;
        }

        @Override
        public String name() {
            return fast.name() + " beside a subscriber reading " + slowRate + "/s";
        }

        @Override
        public void open(LatencyRecorder recorder) throws Exception {
            fast.open(recorder);
            slow = ThrottledWsSubscriber.connect(region.streamUrl(), fast.topicPattern(), "drop-oldest", slowRate);
            sampler.scheduleAtFixedRate(() -> {
                maxQueueBytes.accumulateAndGet((long) queueBytesMax(), Math::max);
                maxHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
            }, 0, 100, TimeUnit.MILLISECONDS);
        }

        @Override
        public void publish(long sequence, long scheduledNanos, int size) throws Exception {
            fast.publish(sequence, scheduledNanos, size);
        }

        @Override
        public long failures() {
            return fast.failures();
        }

        @Override
        public void close() throws Exception {
            sampler.shutdownNow();
            heapAfterGc = heapAfterGc();
            try {
                if (slow != null) {
                    slowEvents = slow.events();
                    slowDropped = slow.droppedBefore();
                    slow.close();
                }
            } finally {
                fast.close();
            }
        }
    }

    public static List<Row> run(BenchMesh mesh, int rate, Duration warmup, Duration measure) throws Exception {
        RegionEndpoints region = mesh.mesh().region(US);
        LocalLatencyBench.Result baseline = LocalLatencyBench.measure(new RestToWebSocket(region), rate, warmup, measure);
        long baselineHeap = heapAfterGc();
        WithSlowSubscriber slow = new WithSlowSubscriber(region, Math.max(1, rate / 10));
        LocalLatencyBench.Result beside = LocalLatencyBench.measure(slow, rate, warmup, measure);

        List<Row> rows = new ArrayList<>();
        rows.add(new Row("fast subscriber p50 " + label(beside), ResultTable.ms(beside.millis().p50()),
                "alone " + ResultTable.ms(baseline.millis().p50()), ResultTable.ratio(beside.millis().p50(), baseline.millis().p50()),
                "-", "-"));
        boolean within = beside.millis().p99() <= TARGET_RATIO * baseline.millis().p99();
        boolean all = beside.delivered() >= beside.sent() && beside.failed() == 0;
        rows.add(new Row("fast subscriber p99 " + label(beside), ResultTable.ms(beside.millis().p99()),
                "alone " + ResultTable.ms(baseline.millis().p99()) + ", " + label(baseline),
                ResultTable.ratio(beside.millis().p99(), baseline.millis().p99()), "<= 1.10x alone, every event delivered",
                ResultTable.met(within && all)));
        rows.add(new Row("slow subscriber (" + rate / 10 + "/s, drop-oldest): events read, losses told in droppedBefore",
                slow.slowEvents + " read, " + slow.slowDropped + " dropped", "-", "-", "loss told", ResultTable.met(slow.slowDropped > 0
                        || slow.slowEvents >= beside.sent())));
        rows.add(new Row("edge subscriber queue bytes, fullest connection, max sampled every 100 ms",
                ResultTable.bytes(slow.maxQueueBytes.get()), "-", "-", "<= " + ResultTable.bytes(QUEUE_BOUND) + " (the bound)",
                ResultTable.met(slow.maxQueueBytes.get() <= QUEUE_BOUND)));
        rows.add(new Row("JVM heap used after GC at the end (whole embedded mesh)", ResultTable.bytes(slow.heapAfterGc),
                "alone " + ResultTable.bytes(baselineHeap), ResultTable.ratio(slow.heapAfterGc, baselineHeap), "-", "-"));
        rows.add(new Row("JVM heap used, max sampled during the run with the slow subscriber", ResultTable.bytes(slow.maxHeap.get()),
                "-", "-", "-", "-"));
        return rows;
    }

    private static String label(LocalLatencyBench.Result r) {
        return String.format(Locale.ROOT, "@ %d/s (achieved %.0f/s, %d/%d delivered%s)", r.rate(), r.achievedPerSecond(),
                r.delivered(), r.sent(), r.failed() > 0 ? ", " + r.failed() + " failed" : "");
    }

    private static double queueBytesMax() {
        Gauge gauge = MeshMetrics.registry().find("mesh.edge.subscriber.queue.bytes.max").tag("region", US)
                .tag("protocol", "websocket").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
