package io.meshwork.edge.internal.delivery;

import java.util.concurrent.CompletableFuture;

/**
 * When the edge delivers the events of a subscription it just registered: a subscriber is
 * confirmed (SUBSCRIBED, SUBACK) only then, and from then on gets every matching event published.
 */
public interface DeliveryReadiness {

    /** Direct delivery: the edge reads every event itself, so a registered subscription is served at once. */
    DeliveryReadiness IMMEDIATE = (pattern, selector) -> CompletableFuture.completedFuture(null);

    /**
     * Completes once events matching (pattern, selector) published from now on reach this edge's
     * subscribers; call it after registering the subscription.
     *
     * @param selector the selector text, "" for none
     */
    CompletableFuture<Void> whenDelivering(String pattern, String selector);
}
