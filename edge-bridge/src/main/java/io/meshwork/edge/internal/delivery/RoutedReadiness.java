package io.meshwork.edge.internal.delivery;

import io.meshwork.core.interest.DeliveryMarker;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.interest.InterestPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routed delivery's answer to "when is a new subscription served?": once the router has passed
 * the edge's own {@code mesh.interest} record for it. The router says so with a
 * {@link DeliveryMarker} in the edge's slot naming the offset of the record it applied; the edge
 * knows the offset of its write, and waits for a marker at or beyond it. (Matching by offset, not
 * by key alone, keeps an old marker from confirming a subscription that was dropped and taken
 * again before the router saw the second write.)
 *
 * <p>If no marker comes within {@code wait} (the router is down, or predates routed delivery)
 * the subscription is confirmed anyway, with a warning: it is served as soon as the router is
 * back, since the interest is on the compacted topic.
 */
public final class RoutedReadiness implements DeliveryReadiness {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedReadiness.class);

    /** How long a subscriber waits for the router's marker before it is confirmed anyway. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private record Waiter(long offset, CompletableFuture<Void> done) {
    }

    private final String region;
    private final InterestPublisher interest;
    private final Duration wait;
    private final Map<InterestKey, Long> routedUpTo = new HashMap<>();
    private final Map<InterestKey, List<Waiter>> waiting = new HashMap<>();

    public RoutedReadiness(String region, InterestPublisher interest, Duration wait) {
        this.region = region;
        this.interest = interest;
        this.wait = wait;
    }

    @Override
    public CompletableFuture<Void> whenDelivering(String pattern, String selector) {
        Optional<CompletableFuture<Long>> written = interest.writtenAt(pattern, selector);
        if (written.isEmpty()) {
            return CompletableFuture.completedFuture(null); // not held any more: nothing to wait for
        }
        InterestKey key = InterestKey.subscription(interest.edgeId(), pattern, selector);
        CompletableFuture<Void> done = new CompletableFuture<>();
        written.get().whenComplete((offset, error) -> {
            if (error != null) {
                done.complete(null); // the write failure is logged where it happened; do not hold the client
            } else {
                awaitMarker(key, offset, done);
            }
        });
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (done.complete(null)) {
                LOG.warn("region {}: the router did not confirm routed delivery of '{}' to edge {} within {} ms; "
                        + "confirmed the subscriber anyway", region, pattern, interest.edgeId(), wait.toMillis());
            }
        });
        return done;
    }

    private synchronized void awaitMarker(InterestKey key, long offset, CompletableFuture<Void> done) {
        Long routed = routedUpTo.get(key);
        if (routed != null && routed >= offset) {
            done.complete(null);
        } else {
            waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(new Waiter(offset, done));
        }
    }

    /** A marker read from the slot; markers for other edges sharing the slot are ignored. */
    public void markerSeen(DeliveryMarker marker) {
        if (!marker.subscription().edgeId().equals(interest.edgeId())) {
            return;
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (this) {
            routedUpTo.merge(marker.subscription(), marker.interestOffset(), Math::max);
            List<Waiter> waiters = waiting.get(marker.subscription());
            if (waiters != null) {
                waiters.removeIf(waiter -> waiter.offset() <= marker.interestOffset() && ready.add(waiter.done()));
                if (waiters.isEmpty()) {
                    waiting.remove(marker.subscription());
                }
            }
            forgetReleased();
        }
        ready.forEach(done -> done.complete(null));
    }

    // Entries the edge no longer holds need no memory of their markers: a new write gets a newer offset.
    private void forgetReleased() {
        if (routedUpTo.size() > 2 * interest.entryCount() + 1_000) {
            routedUpTo.keySet().removeIf(key -> interest.writtenAt(key.pattern(), key.selector()).isEmpty());
        }
    }
}
