package io.meshwork.edge.internal.auth;

import io.meshwork.edge.internal.Refusal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends connections when the token they authenticated with expires. One daemon timer thread serves
 * every connection of every edge in the JVM: a connection costs one scheduled task, cancelled when
 * it ends first, never a thread. The task only starts each protocol's own non-blocking close.
 */
public final class TokenExpiry {

    /** What a connection holds until it ends; cancelling twice, or after expiry, does nothing. */
    @FunctionalInterface
    public interface Watch {
        /** The connection ended before its token expired. */
        void cancel();
    }

    /** The watch of a connection that never expires (auth off, or no token). */
    public static final Watch NONE = () -> { };

    private static final Logger LOG = LoggerFactory.getLogger(TokenExpiry.class);
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private TokenExpiry() {
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "edge-token-expiry");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a closed connection's task does not wait out the token's life
        return timer;
    }

    /** Tells {@code end} the refusal {@code refusal} makes at {@code deadline}, unless the watch is cancelled first. */
    static Watch at(Instant deadline, Supplier<Refusal> refusal, Consumer<Refusal> end) {
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        schedule(deadline, refusal, end, task, cancelled);
        return () -> {
            cancelled.set(true);
            ScheduledFuture<?> scheduled = task.get();
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        };
    }

    private static void schedule(Instant deadline, Supplier<Refusal> refusal, Consumer<Refusal> end,
                                 AtomicReference<ScheduledFuture<?>> task, AtomicBoolean cancelled) {
        long delayNanos = Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
        task.set(TIMER.schedule(() -> {
            if (cancelled.get()) {
                return;
            }
            if (Instant.now().isBefore(deadline)) {
                // The timer counts on the monotonic clock, the token on the wall clock: never end a connection early.
                schedule(deadline, refusal, end, task, cancelled);
                return;
            }
            try {
                end.accept(refusal.get());
            } catch (RuntimeException e) {
                LOG.warn("ending a connection whose token expired failed: {}", e.toString());
            }
        }, delayNanos, TimeUnit.NANOSECONDS));
    }
}
