package io.meshwork.edge.internal.ingress;

import io.meshwork.core.topic.TopicIndex;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The topics on which this edge refuses publishes for now: those a backpressured durable
 * subscription's pattern matches, while it lags. Every protocol's publishes pass here on the one
 * ingress path, so each answers {@link ClientError#THROTTLED} its own way (HTTP 429 with
 * Retry-After, gRPC {@code RESOURCE_EXHAUSTED}, MQTT 5 PUBACK 0x97, WebSocket {@code ERROR}).
 *
 * <p>It is this edge's throttle only: other edges of the region throttle only for their own
 * subscribers. Checked once per publish under one short lock; empty almost always.
 */
public final class PublishThrottle {

    /** A throttle that never refuses (throttling switched off). */
    public static final PublishThrottle OFF = new PublishThrottle(Duration.ofSeconds(1));

    /** Carries the wait a throttled publisher is told, as the cause of its {@link Refusal}; no stack trace. */
    public static final class RetryAfter extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long seconds;

        RetryAfter(long seconds) {
            super("retry after " + seconds + " s", null, false, false);
            this.seconds = seconds;
        }

        /** Whole seconds to wait, for HTTP's Retry-After. */
        public long seconds() {
            return seconds;
        }
    }

    private final TopicIndex<String> throttled = new TopicIndex<>();
    private final long retryAfterSeconds;
    private volatile boolean empty = true;

    public PublishThrottle(Duration retryAfter) {
        this.retryAfterSeconds = Math.max(1, retryAfter.toSeconds());
    }

    /** Refuses publishes on topics {@code pattern} matches, on behalf of {@code subscription}, until {@link #lift}. */
    public synchronized void throttle(TopicPattern pattern, String subscription) {
        throttled.add(pattern, subscription);
        empty = false;
    }

    /** Stops refusing on {@code subscription}'s behalf. */
    public synchronized void lift(TopicPattern pattern, String subscription) {
        throttled.remove(pattern, subscription);
        empty = throttled.isEmpty();
    }

    /** The refusal for a publish on {@code topic}, or empty when it may go ahead. */
    public Optional<Refusal> check(TopicName topic) {
        if (empty) {
            return Optional.empty();
        }
        Set<String> lagging;
        synchronized (this) {
            lagging = throttled.match(topic);
        }
        if (lagging.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(ClientError.THROTTLED, "topic", "publishes on '" + topic.value()
                + "' are throttled while " + lagging.size() + " durable subscription(s) of it lag; retry after "
                + retryAfterSeconds + " s", new RetryAfter(retryAfterSeconds)));
    }
}
