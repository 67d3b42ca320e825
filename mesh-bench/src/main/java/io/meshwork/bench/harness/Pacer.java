package io.meshwork.bench.harness;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * An open-loop load generator: sends on a fixed schedule whatever the system under test does,
 * so a slow answer cannot slow the load down and hide its own latency (coordinated omission).
 * Each send gets the time it was <em>scheduled</em> for, which is what latency is measured from.
 */
public final class Pacer {

    /** A send scheduled for {@code scheduledNanos} ({@code System.nanoTime()} clock). */
    @FunctionalInterface
    public interface Send {
        void send(long sequence, long scheduledNanos) throws Exception;
    }

    /**
     * What a paced run did.
     *
     * @param sent    sends made
     * @param failed  sends that threw
     * @param elapsed from the first scheduled send to the last send made
     */
    public record Outcome(long sent, long failed, Duration elapsed) {

        public double ratePerSecond() {
            return elapsed.isZero() ? 0 : sent * 1e9 / elapsed.toNanos();
        }
    }

    private Pacer() {
    }

    /** Sends {@code ratePerSecond} times a second for {@code duration}, on the calling thread. */
    public static Outcome run(double ratePerSecond, Duration duration, Send send) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        long interval = Math.round(1e9 / ratePerSecond);
        long start = System.nanoTime();
        long total = (long) (duration.toNanos() / (double) interval);
        long failed = 0;
        long sent = 0;
        for (long i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            // Pacing the generator is the one place a timed wait is right. No spinning for the last
            // microseconds: on 2 cores a spinning generator takes CPU from the mesh it measures,
            // and a send that starts late only adds to the latency it reports.
            long wait;
            while ((wait = scheduled - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            try {
                send.send(i, scheduled);
            } catch (Exception e) {
                failed++;
            }
            sent++;
        }
        return new Outcome(sent, failed, Duration.ofNanos(System.nanoTime() - start));
    }
}
