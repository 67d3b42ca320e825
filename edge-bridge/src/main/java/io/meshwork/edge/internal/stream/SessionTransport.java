package io.meshwork.edge.internal.stream;

import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.function.Predicate;

/**
 * What a {@link SubscriptionSession} needs from the connection it serves (a WebSocket, a gRPC
 * stream): the connection is the subscriber events are delivered to, takes control frames, and
 * can be ended because of a refused request. Each transport keeps its own flow control and its own
 * answer to a client that stops reading.
 */
public interface SessionTransport extends Subscriber {

    /** Queues a frame (a confirmation or an error) for the client; never blocks. */
    void send(EventEnvelope frame);

    /**
     * Frames handed to this connection and not yet written to the client. A durable subscription
     * reads Kafka only while this is below its window, so the edge buffers little for it.
     */
    int unsentFrames();

    /** Ends the connection because of {@code reason}, after the frames already queued. */
    void close(Refusal reason);

    /**
     * Ends the connection at once because its client may no longer receive anything (its token
     * expired): what is queued for it is dropped, and the client is told {@code reason} in the
     * protocol's own way.
     */
    default void revoke(Refusal reason) {
        close(reason);
    }

    /** A queue lane for a new subscription of this connection, with the subscription's delivery policy. */
    EgressLane openLane(DeliveryPolicy policy, String pattern);

    /** The subscription of {@code lane} ended; what it has queued is still delivered. */
    void closeLane(EgressLane lane);

    /**
     * Holds {@code lane}'s events back until {@link #releaseLane}, so that the gap counted for a
     * subscription resumed after a failover is told on its first delivery.
     *
     * @return false when this transport cannot (the caller then refuses what needs it)
     */
    default boolean holdLane(EgressLane lane) {
        return false;
    }

    /** Lets a held lane's events go, the first carrying {@code missed} in {@code dropped_before}. */
    default void releaseLane(EgressLane lane, long missed, boolean exact) {
    }

    /**
     * The subscription of {@code lane} was cut (an ACL change no longer allows it): what it has
     * queued is dropped, never delivered.
     *
     * @return the events dropped
     * @throws UnsupportedOperationException from a transport that cannot cut one subscription (every
     *         real transport can: they keep their queue per subscription)
     */
    default int discardLane(EgressLane lane) {
        throw new UnsupportedOperationException(this + " cannot cut a single subscription");
    }

    /**
     * A durable subscription was cut: the events queued for it (durable deliveries queue as
     * control frames, outside any lane) that {@code cut} selects are dropped, never delivered.
     *
     * @return the events dropped
     */
    default int discardQueued(Predicate<EventEnvelope> cut) {
        return 0; // a transport that serves no durable subscription queues none
    }
}
