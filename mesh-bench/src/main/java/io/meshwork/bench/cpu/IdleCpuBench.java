package io.meshwork.bench.cpu;

import static org.awaitility.Awaitility.await;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.CpuMeter;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The idle mesh's CPU: the whole embedded three-region mesh with no traffic but its own
 * (heartbeats, leases, link states, polls), by component, as a share of one core.
 */
public final class IdleCpuBench {

    private static final double TARGET_CORES = 0.05;

    private IdleCpuBench() {
    }

    /** The idle mesh's cores from the first row of {@link #run}'s result. */
    public static double cores(List<Row> rows) {
        return Double.parseDouble(rows.get(0).value().replace(" cores", ""));
    }

    public static List<Row> run(BenchMesh mesh, Duration settle, Duration measure) {
        // Let start-up work (JIT, topic creation, first adverts) end before measuring.
        long settled = System.nanoTime() + settle.toNanos();
        await().atMost(settle.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> System.nanoTime() >= settled);
        CpuMeter.Reading before = CpuMeter.read();
        long end = System.nanoTime() + measure.toNanos();
        await().atMost(measure.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> System.nanoTime() >= end);
        CpuMeter.Reading after = CpuMeter.read();
        double seconds = (after.wallNanos() - before.wallNanos()) / 1e9;
        double cores = after.meshNanosSince(before) / 1e9 / seconds;
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(String.format(Locale.ROOT, "idle mesh CPU, whole JVM + PostgreSQL, %.0f s", seconds),
                String.format(Locale.ROOT, "%.3f cores", cores), "-", "-", "<= 0.05 cores", ResultTable.met(cores <= TARGET_CORES)));
        for (Map.Entry<String, Long> group : after.since(before).entrySet()) {
            if (group.getValue() > 0) {
                rows.add(new Row("  idle CPU " + group.getKey(),
                        String.format(Locale.ROOT, "%.3f cores", group.getValue() / 1e9 / seconds), "-", "-", "-", "-"));
            }
        }
        return rows;
    }
}
