package io.meshwork.edge.internal.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.stream.StreamEndpoint;
import io.meshwork.edge.internal.stream.StreamFrames;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import io.meshwork.edge.internal.stream.SubscriptionRequests;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Subscribe} stream: reads the client's requests one at a time and confirms or rejects
 * each with a control frame, by the same rules and error codes as the WebSocket stream
 * ({@link StreamEndpoint}). A rejected request never ends the stream or touches its other
 * subscriptions. Whichever way the stream ends, its subscriptions are removed.
 *
 * <p>A client that half-closes its side has nothing more to ask for; the edge then ends the
 * stream too (after the frames already queued), so a half-closed stream cannot linger unseen.
 */
final class SubscribeCall implements StreamObserver<InboundFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribeCall.class);

    private final ServerCallStreamObserver<EventEnvelope> responses;
    private final GrpcSubscriber subscriber;
    private final SubscriptionRegistry registry;
    private final MeshActivation activation;
    private final String region;
    private final Consumer<SubscribeCall> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SubscribeCall(ServerCallStreamObserver<EventEnvelope> responses, GrpcSubscriber subscriber,
                          SubscriptionRegistry registry, MeshActivation activation, String region,
                          Consumer<SubscribeCall> onClosed) {
        this.activation = activation;
        this.responses = responses;
        this.subscriber = subscriber;
        this.registry = registry;
        this.region = region;
        this.onClosed = onClosed;
    }

    /**
     * Takes over a new stream: inbound requests are pulled one at a time, outbound frames are
     * written as the client makes room.
     *
     * @param onClosed told once when the stream ended, however it ended
     */
    static SubscribeCall open(ServerCallStreamObserver<EventEnvelope> responses, GrpcSubscriber subscriber,
                              SubscriptionRegistry registry, MeshActivation activation, String region,
                              Consumer<SubscribeCall> onClosed) {
        SubscribeCall call = new SubscribeCall(responses, subscriber, registry, activation, region, onClosed);
        responses.disableAutoRequest();
        responses.setOnReadyHandler(subscriber::onReady);
        responses.setOnCancelHandler(() -> {
            subscriber.cancelled();
            call.close("cancelled by the client");
        });
        responses.request(1);
        LOG.debug("region {}: {} opened", region, subscriber);
        return call;
    }

    @Override
    public void onNext(InboundFrame frame) {
        try {
            handle(frame);
        } finally {
            if (!closed.get()) {
                responses.request(1);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        // Cancellation and transport failures are the client's business: no stack trace.
        Status status = Status.fromThrowable(error);
        subscriber.cancelled();
        close(status.getCode() == Status.Code.CANCELLED ? "cancelled by the client" : "failed: " + status);
    }

    @Override
    public void onCompleted() {
        close("half-closed by the client");
        subscriber.end(Status.OK);
    }

    /** Ends the stream from the edge's side with {@code status}, e.g. when the edge shuts down. */
    void end(Status status) {
        close("ended by the edge: " + status.getCode());
        subscriber.end(status);
    }

    /** The edge dropped the stream because its client stopped reading (the status is on its way). */
    void droppedAsSlowConsumer(int maxPendingFrames) {
        if (!closed.get()) {
            LOG.info("region {}: dropped {}: more than {} frames unsent, slow consumer", region, subscriber, maxPendingFrames);
        }
        close("dropped as a slow consumer");
    }

    private void handle(InboundFrame frame) {
        if (frame.malformed() != null) {
            reject("MALFORMED_FRAME", "frame", "not a SubscriptionRequest: " + frame.malformed(), null);
            return;
        }
        SubscriptionRequest request = frame.request();
        int size = request.getSerializedSize();
        if (size > SubscriptionRequests.MAX_REQUEST_BYTES) {
            reject("FRAME_TOO_LARGE", "frame", "request of " + size + " bytes exceeds the limit of "
                    + SubscriptionRequests.MAX_REQUEST_BYTES, null);
            return;
        }
        SubscriptionRequests.Valid valid;
        try {
            valid = SubscriptionRequests.validate(request);
        } catch (SubscriptionRequests.Rejected rejected) {
            reject(rejected.code(), rejected.field(), rejected.getMessage(), request);
            return;
        }
        TopicPattern pattern = valid.pattern();
        if (closed.get()) {
            return; // ended while the request was in flight: subscribing now would leak the subscription
        }
        if (valid.isSubscribe()) {
            registry.subscribe(subscriber, pattern, valid.selector());
            subscriber.send(StreamFrames.confirmation(StreamControl.Type.SUBSCRIBED, request));
            activation.whenActive(pattern.value(), valid.selector().expression()).thenRun(() -> {
                if (!closed.get()) {
                    subscriber.send(StreamFrames.confirmation(StreamControl.Type.MESH_ACTIVE, request));
                }
            });
            LOG.debug("region {}: {} subscribed to {}", region, subscriber, pattern.value());
            if (closed.get()) {
                registry.removeAll(subscriber); // lost a race with the stream's end
            }
        } else if (registry.unsubscribe(subscriber, pattern, valid.selector().expression())) {
            subscriber.send(StreamFrames.confirmation(StreamControl.Type.UNSUBSCRIBED, request));
            LOG.debug("region {}: {} unsubscribed from {}", region, subscriber, pattern.value());
        } else {
            reject("NOT_SUBSCRIBED", "topic_pattern", "this stream holds no subscription to '" + pattern.value() + "'", request);
        }
    }

    private void reject(String code, String field, String message, SubscriptionRequest request) {
        subscriber.send(StreamFrames.error(code, field, message, request));
        LOG.debug("region {}: {} request rejected: {} {}", region, subscriber, code, message);
    }

    private void close(String how) {
        if (closed.compareAndSet(false, true)) {
            registry.removeAll(subscriber);
            onClosed.accept(this);
            LOG.debug("region {}: {} closed: {}", region, subscriber, how);
        }
    }
}
