package io.meshwork.edge.internal.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.stream.SubscriptionRequests;
import io.meshwork.edge.internal.stream.SubscriptionSession;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.SubscriptionRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Subscribe} stream's gRPC side: pulls the client's requests one at a time into its
 * {@link SubscriptionSession} (which answers them as on WebSocket), and ends the session however
 * the stream ends. A rejected request never touches the stream's other subscriptions; one that
 * arrives while the stream holds none ends the stream with {@code INVALID_ARGUMENT}.
 *
 * <p>A client that half-closes its side has nothing more to ask for; the edge then ends the
 * stream too (after the frames already queued), so a half-closed stream cannot linger unseen.
 */
final class SubscribeCall implements StreamObserver<InboundFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribeCall.class);

    private final ServerCallStreamObserver<EventEnvelope> responses;
    private final GrpcSubscriber subscriber;
    private final SubscriptionSession session;

    private SubscribeCall(ServerCallStreamObserver<EventEnvelope> responses, GrpcSubscriber subscriber, SubscriptionSession session) {
        this.responses = responses;
        this.subscriber = subscriber;
        this.session = session;
    }

    /**
     * Takes over a new stream: inbound requests are pulled one at a time, outbound frames are
     * written as the client makes room.
     *
     * @param session the stream's session, over {@code subscriber}
     */
    static SubscribeCall open(ServerCallStreamObserver<EventEnvelope> responses, GrpcSubscriber subscriber,
                              SubscriptionSession session) {
        SubscribeCall call = new SubscribeCall(responses, subscriber, session);
        responses.disableAutoRequest();
        responses.setOnReadyHandler(subscriber::onReady);
        responses.setOnCancelHandler(() -> {
            subscriber.cancelled();
            session.close("cancelled by the client");
        });
        responses.request(1);
        LOG.debug("{} opened", subscriber);
        return call;
    }

    @Override
    public void onNext(InboundFrame frame) {
        try {
            handle(frame);
        } finally {
            if (!session.isClosed()) {
                responses.request(1);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        // Cancellation and transport failures are the client's business: no stack trace.
        Status status = Status.fromThrowable(error);
        subscriber.cancelled();
        session.close(status.getCode() == Status.Code.CANCELLED ? "cancelled by the client" : "failed: " + status);
    }

    @Override
    public void onCompleted() {
        session.close("half-closed by the client");
        subscriber.end(Status.OK);
    }

    /** Ends the stream from the edge's side with {@code status}, e.g. when the edge shuts down. */
    void end(Status status) {
        session.close("ended by the edge: " + status.getCode());
        subscriber.end(status);
    }

    /** The edge disconnected the stream under delivery_policy disconnect (the status is on its way). */
    void disconnected(String region, String reason) {
        if (!session.isClosed()) {
            LOG.info("region {}: disconnected {}: {}", region, subscriber, reason);
        }
        session.close("disconnected: " + reason);
    }

    private void handle(InboundFrame frame) {
        if (frame.malformed() != null) {
            session.refuse(new Refusal(ClientError.MALFORMED_FRAME, "frame", "not a SubscriptionRequest: " + frame.malformed()), null);
            return;
        }
        SubscriptionRequest request = frame.request();
        int size = request.getSerializedSize();
        if (size > SubscriptionRequests.MAX_REQUEST_BYTES) {
            session.refuse(new Refusal(ClientError.FRAME_TOO_LARGE, "frame", "request of " + size
                    + " bytes exceeds the limit of " + SubscriptionRequests.MAX_REQUEST_BYTES), null);
            return;
        }
        session.handle(request);
    }
}
