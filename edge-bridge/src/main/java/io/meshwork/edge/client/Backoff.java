package io.meshwork.edge.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link FailoverSubscriber} waits between connection attempts: every edge of the list
 * is tried once at once, then each further attempt waits twice as long as the previous one,
 * from {@code initial} up to {@code max}.
 *
 * @param initial the wait after the first full round of failed attempts
 * @param max     the longest wait
 */
public record Backoff(Duration initial, Duration max) {

    /** 50 ms doubling up to 2 s. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    /**
     * The wait before attempt {@code failures + 1}.
     *
     * @param failures attempts that failed in a row
     * @param edges    how many edges the subscriber knows
     */
    public Duration delay(int failures, int edges) {
        int beyondFirstRound = failures - edges + 1;
        if (beyondFirstRound <= 0) {
            return Duration.ZERO;
        }
        long millis = initial.toMillis() << Math.min(beyondFirstRound - 1, 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
