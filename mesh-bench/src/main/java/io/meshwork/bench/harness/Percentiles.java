package io.meshwork.bench.harness;

import java.util.Arrays;

/**
 * Percentiles of a set of samples, by the nearest-rank method: the p-th percentile is the
 * smallest sample with at least p % of the samples at or below it (no interpolation, so every
 * reported figure is a latency that really happened).
 *
 * @param count samples
 * @param p50   median, in the samples' unit
 * @param p99   99th percentile
 * @param p999  99.9th percentile
 * @param max   largest sample
 */
public record Percentiles(int count, double p50, double p99, double p999, double max) {

    /** No samples: every figure is NaN, so a table shows "n/a" rather than a made-up zero. */
    public static final Percentiles NONE = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** Percentiles of the first {@code count} entries of {@code samples} (which are left untouched). */
    public static Percentiles of(long[] samples, int count) {
        if (count < 0 || count > samples.length) {
            throw new IllegalArgumentException("count " + count + " outside 0.." + samples.length);
        }
        if (count == 0) {
            return NONE;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        return new Percentiles(count, rank(sorted, 50), rank(sorted, 99), rank(sorted, 99.9), sorted[count - 1]);
    }

    /**
     * Nearest rank: index ceil(p/100 * n) - 1. The tolerance keeps binary rounding from pushing an
     * exact rank one up (99.9 / 100 * 1000 is 999.0000000000001 in doubles).
     */
    static double rank(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** The same percentiles divided by {@code divisor} (e.g. nanoseconds to milliseconds). */
    public Percentiles scaled(double divisor) {
        return new Percentiles(count, p50 / divisor, p99 / divisor, p999 / divisor, max / divisor);
    }

    /** The same percentiles minus {@code offset} (e.g. the emulated one-way delay). */
    public Percentiles minus(double offset) {
        return new Percentiles(count, p50 - offset, p99 - offset, p999 - offset, max - offset);
    }
}
