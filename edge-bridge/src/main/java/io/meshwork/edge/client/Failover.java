package io.meshwork.edge.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One reconnection of a {@link FailoverSubscriber}.
 *
 * @param from           the edge that went away
 * @param to             the edge that confirmed every subscription again
 * @param disconnectedAt when the subscriber noticed the loss
 * @param resubscribedAt when the last subscription was confirmed again
 * @param attempts       connection attempts it took (1 when the first edge tried answered)
 */
public record Failover(String from, String to, Instant disconnectedAt, Instant resubscribedAt, int attempts) {

    public Failover {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(disconnectedAt, "disconnectedAt");
        Objects.requireNonNull(resubscribedAt, "resubscribedAt");
        if (resubscribedAt.isBefore(disconnectedAt) || attempts < 1) {
            throw new IllegalArgumentException("a failover ends after it starts and takes at least one attempt");
        }
    }

    /**
     * How long no edge served the subscriptions. What a non-durable subscription missed meanwhile
     * is counted by the new edge and told in its first event's {@code dropped_before}; this is the
     * client's own measure, the only one where the edge could not count (a refused token).
     */
    public Duration gap() {
        return Duration.between(disconnectedAt, resubscribedAt);
    }
}
