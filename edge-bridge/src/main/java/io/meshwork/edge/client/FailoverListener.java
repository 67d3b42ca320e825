package io.meshwork.edge.client;

import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;

/**
 * What a {@link FailoverSubscriber} tells its user. Called on the subscriber's own threads, one
 * call at a time per connection; return quickly.
 */
public interface FailoverListener {

    /** An event of one of the subscriptions. */
    void onEvent(EventEnvelope event);

    /** A control frame of the current edge (SUBSCRIBED, MESH_ACTIVE, ERROR, BACKPRESSURED, ...). */
    default void onControl(StreamControl control) {
    }

    /**
     * The stream is back after its edge went away: every subscription was confirmed by
     * {@code failover.to()}. Non-durable subscriptions may have missed what was published during
     * {@link Failover#gap()}, which their next event's {@code dropped_before} counts; durable ones
     * resume after the last event delivered.
     */
    default void onFailover(Failover failover) {
    }

    /** The edge in use went away; the subscriber is reconnecting. */
    default void onDisconnected(String edge, String reason) {
    }
}
