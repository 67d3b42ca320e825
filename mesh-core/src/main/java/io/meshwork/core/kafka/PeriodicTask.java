package io.meshwork.core.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one task at a fixed rate on a daemon thread of its own, starting at once: the shape of
 * every side writer that must keep saying something (heartbeats, router beats) whatever the
 * rest of the process is doing. A task that throws is not rescheduled by the JDK, so callers
 * catch what they expect.
 */
public final class PeriodicTask implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private PeriodicTask(String threadName) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts running {@code task} now and every {@code interval} after, on a thread named {@code threadName}. */
    public static PeriodicTask start(String threadName, Duration interval, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        PeriodicTask periodic = new PeriodicTask(threadName);
        periodic.timer.scheduleAtFixedRate(task, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return periodic;
    }

    /** Stops at once, without waiting for a run in progress. */
    public void abandon() {
        timer.shutdownNow();
    }

    /** Stops, and waits up to 2 s for a run in progress to end. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
