package io.meshwork.connectors.links;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a {@link PushLink} waits before it restarts after an unexpected failure: {@code first}
 * after a run that failed for the first time, or after one that had lasted at least
 * {@code longest} (a new failure, not the same one again); otherwise twice the previous wait, at
 * most {@code longest}. A failure that repeats at once (an ACL that keeps refusing the spool) then
 * costs one WARN every {@code longest}, not a busy loop.
 *
 * @param first   the first wait
 * @param longest the longest wait, and how long a run must last to count as healthy
 */
record RestartBackoff(Duration first, Duration longest) {

    RestartBackoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(longest, "longest");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("first must be positive, was " + first);
        }
        if (longest.compareTo(first) < 0) {
            throw new IllegalArgumentException("longest (" + longest + ") must be at least first (" + first + ")");
        }
    }

    /**
     * @param previous the wait before the failed run, or null when it was the link's first run
     * @param ranFor   how long the failed run lasted
     * @return the wait before the next run
     */
    Duration after(Duration previous, Duration ranFor) {
        if (previous == null || ranFor.compareTo(longest) >= 0) {
            return first;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(longest) > 0 ? longest : doubled;
    }
}
