package io.meshwork.edge.client;

import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.concurrent.CompletableFuture;

/** One subscription stream to one edge, whatever carries it. */
interface EdgeConnection {

    /** Sends a subscription request on the stream. */
    void send(SubscriptionRequest request);

    /** Ends the stream from this side; the handler hears nothing more. */
    void close();

    /** What a connection tells its owner. */
    interface Handler {
        void onFrame(EventEnvelope frame);

        /** The stream ended from the edge's side or the network's; called at most once. */
        void onLost(String reason);
    }

    /** Opens streams to edges of one protocol. */
    interface Connector extends AutoCloseable {
        /** Completes once the stream is open, exceptionally when the edge cannot be reached. */
        CompletableFuture<EdgeConnection> connect(String address, Handler handler);

        @Override
        default void close() {
        }
    }
}
