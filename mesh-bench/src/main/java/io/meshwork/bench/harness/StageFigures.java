package io.meshwork.bench.harness;

import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.metrics.Stage;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mesh_stage_latency_seconds} histograms of the mesh running in this JVM, read before
 * and after a measurement so that the stage table covers exactly that window. Percentiles are
 * interpolated inside the histogram's buckets (as Prometheus' {@code histogram_quantile} does).
 */
public final class StageFigures {

    private final Map<Stage, Counts> counts;

    private StageFigures(Map<Stage, Counts> counts) {
        this.counts = counts;
    }

    private record Counts(double[] boundsMillis, long[] cumulative, long total) {
    }

    /** The histograms now. */
    public static StageFigures read() {
        Map<Stage, Counts> counts = new EnumMap<>(Stage.class);
        for (Stage stage : Stage.values()) {
            Timer timer = MeshMetrics.registry().find(Stage.METRIC).tag("stage", stage.label()).timer();
            if (timer == null) {
                continue;
            }
            CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
            double[] bounds = new double[buckets.length];
            long[] cumulative = new long[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
                cumulative[i] = (long) buckets[i].count();
            }
            counts.put(stage, new Counts(bounds, cumulative, timer.count()));
        }
        return new StageFigures(counts);
    }

    /** Rows "stage: count, p50, p99" for what happened between {@code before} and this reading. */
    public List<ResultTable.Row> rowsSince(StageFigures before, String context) {
        List<ResultTable.Row> rows = new ArrayList<>();
        for (Map.Entry<Stage, Counts> entry : counts.entrySet()) {
            Counts now = entry.getValue();
            Counts then = before.counts.get(entry.getKey());
            long[] window = now.cumulative.clone();
            long total = now.total - (then == null ? 0 : then.total);
            if (then != null && then.cumulative.length == window.length) {
                for (int i = 0; i < window.length; i++) {
                    window[i] -= then.cumulative[i];
                }
            }
            if (total <= 0) {
                continue;
            }
            rows.add(new ResultTable.Row(String.format(Locale.ROOT, "stage %s (%s, %d events)", entry.getKey().label(), context, total),
                    "p50 " + ResultTable.ms(quantile(now.boundsMillis, window, total, 0.50)),
                    "p99 " + ResultTable.ms(quantile(now.boundsMillis, window, total, 0.99)), "-", "-", "-"));
        }
        return rows;
    }

    /** The {@code q} quantile, linear inside the bucket that holds it; NaN beyond the last bucket. */
    static double quantile(double[] bounds, long[] cumulative, long total, double q) {
        double rank = q * total;
        double lowerBound = 0;
        long lowerCount = 0;
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank) {
                long inBucket = cumulative[i] - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return lowerBound + (bounds[i] - lowerBound) * fraction;
            }
            lowerBound = bounds[i];
            lowerCount = cumulative[i];
        }
        return Double.NaN;
    }
}
