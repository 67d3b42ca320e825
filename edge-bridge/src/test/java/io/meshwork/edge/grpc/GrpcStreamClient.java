package io.meshwork.edge.grpc;

import static org.awaitility.Awaitility.await;

import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;

/**
 * A real gRPC subscriber (the generated async stub) on an edge's {@code Subscribe} stream,
 * recording every frame it receives and how the stream ended.
 */
public final class GrpcStreamClient implements ClientResponseObserver<SubscriptionRequest, EventEnvelope>, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final boolean manualFlowControl;
    private final List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
    private volatile ClientCallStreamObserver<SubscriptionRequest> requests;
    private volatile Status status;
    private volatile Metadata trailers;

    private GrpcStreamClient(boolean manualFlowControl) {
        this.manualFlowControl = manualFlowControl;
    }

    /** A subscriber that reads every frame as it arrives. */
    public static GrpcStreamClient open(Channel channel) {
        GrpcStreamClient client = new GrpcStreamClient(false);
        SubscriptionServiceGrpc.newStub(channel).subscribe(client);
        return client;
    }

    /** Subscribes to {@code pattern} on a new stream and returns how the stream ended (a refused subscription ends it). */
    public static Status subscribeOutcome(Channel channel, String pattern) {
        GrpcStreamClient client = open(channel);
        client.send(request(SubscriptionRequest.Action.SUBSCRIBE, pattern));
        return client.awaitEnd();
    }

    /** A subscriber that reads only the frames it asks for with {@link #request(int)}. */
    static GrpcStreamClient openWithManualFlowControl(Channel channel) {
        GrpcStreamClient client = new GrpcStreamClient(true);
        SubscriptionServiceGrpc.newStub(channel).subscribe(client);
        return client;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SubscriptionRequest> requestStream) {
        requests = requestStream;
        if (manualFlowControl) {
            requestStream.disableAutoRequestWithInitial(0);
        }
    }

    @Override
    public void onNext(EventEnvelope frame) {
        frames.add(frame);
    }

    @Override
    public void onError(Throwable error) {
        trailers = Status.trailersFromThrowable(error);
        status = Status.fromThrowable(error);
    }

    @Override
    public void onCompleted() {
        status = Status.OK;
    }

    void request(int frames) {
        requests.request(frames);
    }

    void send(SubscriptionRequest request) {
        requests.onNext(request);
    }

    static SubscriptionRequest request(SubscriptionRequest.Action action, String pattern) {
        return SubscriptionRequest.newBuilder().setClientId("grpc-test").setAction(action).setTopicPattern(pattern).build();
    }

    /** Subscribes and waits for the edge's confirmation. */
    public void subscribe(String pattern) {
        send(request(SubscriptionRequest.Action.SUBSCRIBE, pattern));
        awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    /** Unsubscribes and waits for the edge's confirmation. */
    void unsubscribe(String pattern) {
        send(request(SubscriptionRequest.Action.UNSUBSCRIBE, pattern));
        awaitControl(StreamControl.Type.UNSUBSCRIBED, pattern);
    }

    /** Half-closes the client's side of the stream. */
    void complete() {
        requests.onCompleted();
    }

    StreamControl awaitControl(StreamControl.Type type, String pattern) {
        return awaitFrame(f -> f.hasControl() && f.getControl().getType() == type
                && f.getControl().getTopicPattern().equals(pattern)).getControl();
    }

    /** Waits for the next ERROR control frame after {@code previousErrors} errors. */
    StreamControl awaitError(int previousErrors) {
        waiting().until(() -> errors().size() > previousErrors);
        return errors().get(previousErrors);
    }

    List<StreamControl> errors() {
        return frames.stream().filter(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.ERROR)
                .map(EventEnvelope::getControl).toList();
    }

    EventEnvelope awaitFrame(Predicate<EventEnvelope> wanted) {
        return waiting().until(() -> frames.stream().filter(wanted).findFirst().orElse(null), f -> f != null);
    }

    public EventEnvelope awaitEvent(String eventId) {
        return awaitFrame(f -> !f.hasControl() && f.getEventId().equals(eventId));
    }

    /** Every frame received so far, in order. */
    List<EventEnvelope> frames() {
        return List.copyOf(frames);
    }

    /** Event frames received so far, in order. */
    List<EventEnvelope> events() {
        return frames.stream().filter(f -> !f.hasControl()).toList();
    }

    /** Waits for the stream to end and returns its status. */
    Status awaitEnd() {
        return waiting().until(() -> status, s -> s != null);
    }

    /** The trailers the stream ended with, if it ended with an error. */
    Metadata trailers() {
        return trailers;
    }

    private static ConditionFactory waiting() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    @Override
    public void close() {
        if (status == null) {
            requests.cancel("test done", null);
        }
    }
}
