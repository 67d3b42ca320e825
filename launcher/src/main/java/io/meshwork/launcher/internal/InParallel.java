package io.meshwork.launcher.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts or stops one part per region side by side, each on a thread named for it. The parts of
 * a region do not wait on those of another, and one after another they were most of the embedded
 * mesh's start and stop time (a router waits for its Kafka Streams rebalance, a link for the
 * answers to what it has in flight).
 */
public final class InParallel {

    private static final Logger LOG = LoggerFactory.getLogger(InParallel.class);

    private InParallel() {
    }

    /** What starts one region's part; it may block and may fail as the parts' own start methods do. */
    @FunctionalInterface
    public interface Start<T> {
        T start() throws Exception;
    }

    /**
     * Starts every region's part and puts each one that started into {@code started}, in the
     * order of {@code starts}, once all have ended: so a caller that fails can still close what
     * did start. The first failure is thrown, with the others suppressed.
     */
    public static <T> void start(String threadPrefix, Map<String, Start<T>> starts, Map<String, T> started)
            throws InterruptedException, TimeoutException {
        Map<String, FutureTask<T>> running = new LinkedHashMap<>();
        starts.forEach((region, start) -> {
            FutureTask<T> task = new FutureTask<>((Callable<T>) start::start);
            running.put(region, task);
            new Thread(task, threadPrefix + region).start();
        });
        Exception failure = null;
        for (Map.Entry<String, FutureTask<T>> entry : running.entrySet()) {
            try {
                started.put(entry.getKey(), entry.getValue().get());
            } catch (ExecutionException e) {
                Exception cause = e.getCause() instanceof Exception c ? c : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        } else if (failure instanceof TimeoutException timeout) {
            throw timeout;
        } else if (failure instanceof InterruptedException interrupted) {
            throw interrupted;
        } else if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }

    /**
     * Stops every part and returns once all have stopped. A part that fails to stop is logged,
     * naming its region; the others still stop.
     */
    public static <T> void stop(String threadPrefix, Map<String, T> parts, Consumer<T> stop) {
        List<Thread> stopping = new ArrayList<>();
        parts.forEach((region, part) -> {
            Thread thread = new Thread(() -> {
                try {
                    stop.accept(part);
                } catch (RuntimeException e) {
                    LOG.warn("{}: {} did not stop cleanly: {}", region, part, e.toString());
                }
            }, threadPrefix + region);
            thread.start();
            stopping.add(thread);
        });
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
