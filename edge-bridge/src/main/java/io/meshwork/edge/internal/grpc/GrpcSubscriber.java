package io.meshwork.edge.internal.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.SessionTransport;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending half of one {@code Subscribe} stream.
 *
 * <p>Frames wait in a bounded queue and are written only while gRPC reports the stream ready, so
 * a client that stops reading costs at most {@code maxPendingFrames} frames here plus gRPC's small
 * send buffer; one more frame and the stream ends with {@code RESOURCE_EXHAUSTED}. The delivery
 * thread only enqueues: every write to the call happens in one drain task at a time on the
 * listener's executor, which also keeps the (not thread-safe) observer's calls serialised.
 *
 * <p>A dropped client learns its {@code RESOURCE_EXHAUSTED} when it reads again: gRPC clients
 * deliver a stream's status after the frames already in flight to them (at most their HTTP/2
 * window plus gRPC's send buffer), which is also all the edge still holds for that stream.
 */
final class GrpcSubscriber implements SessionTransport {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcSubscriber.class);

    /** How the stream ends: with {@code status} (and {@code trailers}), after the queued frames or at once. */
    private record Ending(Status status, Metadata trailers, boolean afterQueued) {
    }

    private final ServerCallStreamObserver<EventEnvelope> call;
    private final Executor executor;
    private final String id;
    private final int maxPendingFrames;
    private final Consumer<GrpcSubscriber> onSlowConsumer;
    private final Queue<EventEnvelope> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    // null while open.
    private final AtomicReference<Ending> ending = new AtomicReference<>();
    // Written by the drain task (or cancel()); once true, nothing touches the call again.
    private volatile boolean finished;

    /**
     * @param onSlowConsumer run on {@code executor} once, when the stream is dropped for not reading
     */
    GrpcSubscriber(ServerCallStreamObserver<EventEnvelope> call, Executor executor, String id, int maxPendingFrames,
                   Consumer<GrpcSubscriber> onSlowConsumer) {
        this.call = call;
        this.executor = executor;
        this.id = id;
        this.maxPendingFrames = maxPendingFrames;
        this.onSlowConsumer = onSlowConsumer;
    }

    @Override
    public String id() {
        return id;
    }

    /** Called on the delivery thread: never blocks. */
    @Override
    public void deliver(OutboundEvent event) {
        send(event.envelope());
    }

    /** Queues a frame (event or control); drops the stream when its client has stopped reading. */
    @Override
    public void send(EventEnvelope frame) {
        if (ending.get() != null) {
            return;
        }
        if (pending.incrementAndGet() > maxPendingFrames) {
            pending.decrementAndGet();
            dropAsSlowConsumer();
            return;
        }
        queue.add(frame);
        scheduleDrain();
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

    /** The call is gone (client cancelled, transport failed): never touch it again. */
    void cancelled() {
        ending.compareAndSet(null, new Ending(Status.CANCELLED, null, false));
        finished = true;
        queue.clear();
    }

    /** Whether this stream was dropped for not reading its frames. */
    boolean droppedAsSlowConsumer() {
        Ending end = ending.get();
        return end != null && end.status().getCode() == Status.Code.RESOURCE_EXHAUSTED;
    }

    private void dropAsSlowConsumer() {
        Status status = Status.RESOURCE_EXHAUSTED.withDescription(
                "slow consumer: more than " + maxPendingFrames + " frames unsent; the edge dropped this stream");
        if (ending.compareAndSet(null, new Ending(status, null, false))) {
            queue.clear();
            scheduleDrain();
            runOnExecutor(() -> onSlowConsumer.accept(this));
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
                    EventEnvelope frame = queue.poll();
                    if (frame != null) { // null: an end cleared the queue meanwhile; the next round sees it
                        pending.decrementAndGet();
                        call.onNext(frame);
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
        if (end.status().isOk()) {
            call.onCompleted();
        } else if (!call.isCancelled()) {
            call.onError(end.status().asRuntimeException(end.trailers()));
        }
    }

    @Override
    public int unsentFrames() {
        return pending.get();
    }

    @Override
    public String toString() {
        return "gRPC stream " + id;
    }
}
