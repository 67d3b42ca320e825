package io.meshwork.bench.harness;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects latencies (nanoseconds) from any thread without locks. Samples of events published
 * before {@link #startMeasuring} are counted as warm-up and left out.
 */
public final class LatencyRecorder {

    private final long[] samples;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();
    private volatile long measureFromNanos = Long.MAX_VALUE;

    public LatencyRecorder(int capacity) {
        this.samples = new long[capacity];
    }

    /** Events published at or after {@code nanoTime} count; earlier ones are warm-up. */
    public void startMeasuring(long nanoTime) {
        measureFromNanos = nanoTime;
    }

    /** Records one delivery of an event published at {@code publishedNanos}, received now. */
    public void record(long publishedNanos, long receivedNanos) {
        received.incrementAndGet();
        if (publishedNanos < measureFromNanos) {
            return;
        }
        int index = size.getAndIncrement();
        if (index < samples.length) {
            samples[index] = receivedNanos - publishedNanos;
        }
    }

    /** Deliveries of measured events so far. */
    public int measured() {
        return Math.min(size.get(), samples.length);
    }

    /** Every delivery, warm-up included. */
    public long received() {
        return received.get();
    }

    /** Percentiles of the measured deliveries, in milliseconds. */
    public Percentiles millis() {
        return Percentiles.of(samples, measured()).scaled(1e6);
    }
}
