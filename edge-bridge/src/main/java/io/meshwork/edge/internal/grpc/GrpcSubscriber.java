package io.meshwork.edge.internal.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressEntry;
import io.meshwork.edge.internal.egress.EgressFrames;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.egress.EgressMetrics;
import io.meshwork.edge.internal.egress.EgressQueue;
import io.meshwork.edge.internal.egress.LossReport;
import io.meshwork.edge.internal.stream.Backlog;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.SessionTransport;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of one {@code Subscribe} stream.
 *
 * <p>Frames wait in the stream's bounded {@link EgressQueue} and are written only while gRPC
 * reports the stream ready, so a client that stops reading costs at most the queue's bound here
 * plus gRPC's small send buffer; beyond the bound each subscription's delivery policy drops events
 * or, under {@code disconnect}, ends the stream with a {@code DISCONNECTED} frame and
 * {@code RESOURCE_EXHAUSTED} naming the reason. The delivery thread only enqueues: every write to
 * the call happens in one drain task at a time on the listener's executor, which also keeps the
 * (not thread-safe) observer's calls serialised.
 *
 * <p>A disconnected client learns its {@code RESOURCE_EXHAUSTED} when it reads again: gRPC clients
 * deliver a stream's status after the frames already in flight to them (at most their HTTP/2
 * window plus gRPC's send buffer), which is also all the edge still holds for that stream.
 */
final class GrpcSubscriber implements SessionTransport, Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcSubscriber.class);

    /**
     * How the stream ends: with {@code status} (and {@code trailers}), after the queued frames or at
     * once; {@code last}, if not null, written just before (whether or not the client made room).
     */
    private record Ending(Status status, Metadata trailers, boolean afterQueued, EventEnvelope last) {
        Ending(Status status, Metadata trailers, boolean afterQueued) {
            this(status, trailers, afterQueued, null);
        }
    }

    private final ServerCallStreamObserver<EventEnvelope> call;
    private final Executor executor;
    private final String id;
    private final BiConsumer<GrpcSubscriber, String> onDisconnect;
    private final EgressQueue queue;
    private final EgressMetrics metrics;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    // null while open.
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    // Written by the drain task (or cancel()); once true, nothing touches the call again.
    private volatile boolean finished;

    /**
     * @param onDisconnect run on {@code executor} once, with the reason, when the stream is
     *                     disconnected under delivery_policy disconnect
     */
    GrpcSubscriber(ServerCallStreamObserver<EventEnvelope> call, Executor executor, String id, String region,
                   SubscriberQueueSettings limits, BiConsumer<GrpcSubscriber, String> onDisconnect) {
        this.call = call;
        this.executor = executor;
        this.id = id;
        this.onDisconnect = onDisconnect;
        this.metrics = EgressMetrics.of(region, "grpc");
        this.queue = new EgressQueue(limits, new LossReport(region, this, metrics));
        metrics.add(queue);
    }

    @Override
    public String id() {
        return id;
    }

    /** Frames queued at the edge; gRPC is handed frames only while the stream is ready. */
    @Override
    public int pending() {
        return queue.messages();
    }

    @Override
    public void deliver(OutboundEvent event) {
        throw new IllegalStateException("a gRPC subscription is registered with its queue lane");
    }

    /** Called on the delivery thread: never blocks. */
    @Override
    public void deliver(OutboundEvent event, EgressLane lane) {
        if (ending.get() != null) {
            return;
        }
        EventEnvelope envelope = event.envelope();
        String disconnect = queue.offer(lane, event, envelope.getTopic(), envelope.getSerializedSize());
        if (disconnect != null) {
            disconnect(lane, disconnect);
            return;
        }
        scheduleDrain();
    }

    /** Queues a control frame. */
    @Override
    public void send(EventEnvelope frame) {
        if (ending.get() != null) {
            return;
        }
        queue.offerControl(new OutboundEvent(frame));
        scheduleDrain();
    }

    @Override
    public EgressLane openLane(DeliveryPolicy policy, String pattern) {
        return queue.open(policy, pattern);
    }

    @Override
    public void closeLane(EgressLane lane) {
        queue.close(lane);
    }

    @Override
    public boolean holdLane(EgressLane lane) {
        queue.hold(lane);
        return true;
    }

    @Override
    public void releaseLane(EgressLane lane, long missed, boolean exact) {
        queue.release(lane, missed, exact);
        scheduleDrain();
    }

    @Override
    public int discardLane(EgressLane lane) {
        return queue.discard(lane);
    }

    @Override
    public int discardQueued(Predicate<EventEnvelope> cut) {
        return queue.discardControls(cut);
    }

    /** gRPC's on-ready callback: the client made room again. */
    void onReady() {
        scheduleDrain();
    }

    /** Ends the stream: {@code OK} after the frames already queued, any other status at once. */
    void end(Status status) {
        if (ending.compareAndSet(null, new Ending(status, null, status.isOk()))) {
            if (!status.isOk()) {
                queue.clear();
            }
            scheduleDrain();
        }
    }

    /** Ends the stream with the refusal's status ({@link GrpcErrors}), after the frames already queued. */
    @Override
    public void close(Refusal reason) {
        StatusRuntimeException status = GrpcErrors.toStatus(reason);
        if (ending.compareAndSet(null, new Ending(status.getStatus(), status.getTrailers(), true))) {
            scheduleDrain();
        }
    }

    /** Ends the stream at once with the refusal's status, dropping what is queued. */
    @Override
    public void revoke(Refusal reason) {
        StatusRuntimeException status = GrpcErrors.toStatus(reason);
        if (ending.compareAndSet(null, new Ending(status.getStatus(), status.getTrailers(), false))) {
            queue.clear();
            scheduleDrain();
        }
    }

    /** The call is gone (client cancelled, transport failed): never touch it again. */
    void cancelled() {
        ending.compareAndSet(null, new Ending(Status.CANCELLED, null, false));
        finished = true;
        queue.clear();
    }

    /** The stream's session closed: its queue no longer counts. */
    void sessionClosed() {
        metrics.remove(queue);
    }

    private void disconnect(EgressLane lane, String reason) {
        String why = "delivery_policy disconnect on " + lane.pattern() + ": " + reason;
        if (ending.compareAndSet(null, new Ending(Status.RESOURCE_EXHAUSTED.withDescription(why), null, false,
                EgressFrames.disconnected(why)))) {
            metrics.disconnected();
            queue.clear();
            scheduleDrain();
            runOnExecutor(() -> onDisconnect.accept(this, why));
        }
    }

    private void scheduleDrain() {
        if (!finished && drainScheduled.compareAndSet(false, true)) {
            if (!runOnExecutor(this::drain)) {
                drainScheduled.set(false);
            }
        }
    }

    private boolean runOnExecutor(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the listener is shutting down; its close() ends every stream itself
        }
    }

    private void drain() {
        try {
            while (!finished) {
                Ending end = ending.get();
                if (end != null && !end.afterQueued()) {
                    finish(end);
                } else if (queue.isEmpty()) {
                    // Ending needs no room in the client's window: finish without waiting for on-ready.
                    if (end != null) {
                        finish(end);
                    }
                    break;
                } else if (!call.isReady()) {
                    break;
                } else {
                    EgressEntry entry = queue.poll();
                    if (entry != null) { // null: an end cleared the queue meanwhile; the next round sees it
                        call.onNext(EgressFrames.envelope(entry));
                    }
                }
            }
        } catch (RuntimeException e) {
            // The call was closed under us (a cancel racing the drain): nothing left to write to.
            finished = true;
            queue.clear();
            LOG.debug("gRPC stream {}: write failed: {}", id, e.toString());
        } finally {
            drainScheduled.set(false);
        }
        // A frame or an end may have arrived between the last check and clearing the flag.
        if (!finished && needsDrain()) {
            scheduleDrain();
        }
    }

    private boolean needsDrain() {
        Ending end = ending.get();
        if (end != null && (!end.afterQueued() || queue.isEmpty())) {
            return true;
        }
        return !queue.isEmpty() && call.isReady();
    }

    private void finish(Ending end) {
        finished = true;
        if (end.last() != null && !call.isCancelled()) {
            call.onNext(end.last()); // gRPC buffers it behind what the client has not read yet
        }
        if (end.status().isOk()) {
            call.onCompleted();
        } else if (!call.isCancelled()) {
            call.onError(end.status().asRuntimeException(end.trailers()));
        }
    }

    @Override
    public int unsentFrames() {
        return queue.frames(); // gRPC's own send buffer is bounded: the drain writes only while the call is ready
    }

    @Override
    public String toString() {
        return "gRPC stream " + id;
    }
}
