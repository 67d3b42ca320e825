package io.meshwork.edge.internal.stream;

import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.schema.v1.EventEnvelope;

/**
 * What a {@link SubscriptionSession} needs from the connection it serves (a WebSocket, a gRPC
 * stream): the connection is the subscriber events are delivered to, takes control frames, and
 * can be ended because of a refused request. Each transport keeps its own flow control and its own
 * answer to a client that stops reading.
 */
public interface SessionTransport extends Subscriber {

    /** Queues a frame (a confirmation or an error) for the client; never blocks. */
    void send(EventEnvelope frame);

    /** Ends the connection because of {@code reason}, after the frames already queued. */
    void close(Refusal reason);

    /** A queue lane for a new subscription of this connection, with the subscription's delivery policy. */
    EgressLane openLane(DeliveryPolicy policy, String pattern);

    /** The subscription of {@code lane} ended; what it has queued is still delivered. */
    void closeLane(EgressLane lane);
}
