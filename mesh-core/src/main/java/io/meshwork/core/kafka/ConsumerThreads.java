package io.meshwork.core.kafka;

import java.time.Duration;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * How the mesh stops a thread that reads with a consumer of its own and closes it when its loop
 * ends (edge delivery, mesh-wide activation, the router's followers): the consumer is not
 * thread-safe, so only {@link Consumer#wakeup()} may reach it from outside while the thread runs.
 */
public final class ConsumerThreads {

    /** How long a reader thread may take to leave its poll and close its consumer. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    /** How long a consumer may take to close. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private ConsumerThreads() {
    }

    /**
     * Stops {@code thread}, whose loop the caller has already told to end: wakes its poll and
     * waits for it to close {@code consumer}. A thread that never started cannot close the
     * consumer, so it is closed here.
     */
    public static void stop(Thread thread, Consumer<?, ?> consumer) throws InterruptedException {
        if (thread.isAlive()) {
            consumer.wakeup();
            thread.join(STOP_TIMEOUT.toMillis());
        } else if (thread.getState() == Thread.State.NEW) {
            consumer.close(CLOSE_TIMEOUT);
        }
    }
}
