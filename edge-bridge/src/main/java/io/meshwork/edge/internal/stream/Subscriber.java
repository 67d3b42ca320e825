package io.meshwork.edge.internal.stream;

import io.meshwork.edge.internal.egress.EgressLane;

/**
 * One client connection that holds subscriptions (a WebSocket today; gRPC and MQTT streams
 * later). Identity is the object itself, so a connection with overlapping subscriptions still
 * receives each event once.
 */
public interface Subscriber {

    /** A stable id for logs. */
    String id();

    /** Hands an event to the connection; must not block the delivery thread. */
    void deliver(OutboundEvent event);

    /**
     * Hands an event to the connection for the subscription whose queue is {@code lane} (see
     * {@link SubscriptionRegistry#targetsFor}); must not block the delivery thread.
     *
     * @param lane {@code null} when the subscription was registered without one
     */
    default void deliver(OutboundEvent event, EgressLane lane) {
        deliver(event);
    }
}
