package io.meshwork.edge.internal.stream;

import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressEntry;
import io.meshwork.edge.internal.egress.EgressFrames;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.egress.EgressMetrics;
import io.meshwork.edge.internal.egress.EgressQueue;
import io.meshwork.edge.internal.egress.LossReport;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket connection as a subscriber. Frames wait in the connection's bounded
 * {@link EgressQueue}, where each subscription's delivery policy applies, and at most
 * {@value #IN_FLIGHT} of them are handed to Jetty at a time: a client that stops reading fills
 * the edge's queue, not Jetty's, so the policy, not Jetty, decides what is lost. Under
 * {@code disconnect} the connection gets a {@code DISCONNECTED} frame and is closed with 1008
 * (policy violation) and the reason.
 *
 * <p>The delivery thread only queues and, when Jetty has room, starts a send; completions
 * continue the sending on Jetty's threads. This object is the send callback of every frame, so a
 * send allocates nothing beyond Jetty's own frame.
 */
final class WebSocketSubscriber implements SessionTransport, Callback, Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSubscriber.class);
    private static final int POLICY_VIOLATION = 1008;
    /** Frames handed to Jetty and not yet written; a few, so Jetty can batch them into one write. */
    static final int IN_FLIGHT = 16;

    private final Session session;
    private final String id;
    private final String region;
    private final EgressQueue queue;
    private final EgressMetrics metrics;
    private final Runnable onDisconnect;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean dropped = new AtomicBoolean();

    /**
     * @param onDisconnect run once when the connection is disconnected under delivery_policy
     *                     disconnect, to drop its subscriptions without waiting for the client's
     *                     side of the close, which a client that does not read never sends
     */
    WebSocketSubscriber(Session session, String id, String region, SubscriberQueueSettings limits, Runnable onDisconnect) {
        this.session = session;
        this.onDisconnect = onDisconnect;
        this.id = id;
        this.region = region;
        this.metrics = EgressMetrics.of(region, "websocket");
        this.queue = new EgressQueue(limits, new LossReport(region, this, metrics));
        metrics.add(queue);
    }

    @Override
    public String id() {
        return id;
    }

    /** Frames queued at the edge or handed to Jetty and not yet written. */
    @Override
    public int pending() {
        return queue.messages() + inFlight.get();
    }

    @Override
    public void deliver(OutboundEvent event) {
        throw new IllegalStateException("a WebSocket subscription is registered with its queue lane");
    }

    @Override
    public void deliver(OutboundEvent event, EgressLane lane) {
        if (dropped.get()) {
            return;
        }
        String disconnect = queue.offer(lane, event, event.envelope().getTopic(), event.json().length());
        if (disconnect != null) {
            disconnect(lane, disconnect);
            return;
        }
        sendQueued();
    }

    @Override
    public void send(EventEnvelope frame) {
        if (dropped.get()) {
            return;
        }
        queue.offerControl(new OutboundEvent(frame));
        sendQueued();
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
        if (!dropped.get()) {
            sendQueued();
        }
    }

    @Override
    public int discardLane(EgressLane lane) {
        return queue.discard(lane);
    }

    @Override
    public int discardQueued(Predicate<EventEnvelope> cut) {
        return queue.discardControls(cut);
    }

    /** Closes with 1008 (policy violation); the reason names the code and field (close reasons hold 123 bytes). */
    @Override
    public void close(Refusal reason) {
        if (dropped.compareAndSet(false, true)) {
            session.close(POLICY_VIOLATION, reason.error() + " " + reason.field(), Callback.NOOP);
        }
    }

    /**
     * An {@code ERROR} frame with the reason, written ahead of anything still queued (which is
     * dropped: the client may no longer receive it), then a close with 1008.
     */
    @Override
    public void revoke(Refusal reason) {
        if (dropped.compareAndSet(false, true)) {
            queue.clear();
            session.sendText(StreamFrames.toJson(StreamFrames.error(reason, null)), Callback.NOOP);
            session.close(POLICY_VIOLATION, reason.error() + " " + reason.field(), Callback.NOOP);
        }
    }

    /** The connection is gone: nothing queued for it counts any more. */
    void closed() {
        dropped.set(true);
        queue.clear();
        metrics.remove(queue);
    }

    // One sender at a time, on whichever thread finds Jetty with room; a completion that arrives
    // while another thread sends is picked up by the check after the loop.
    private void sendQueued() {
        while (sending.compareAndSet(false, true)) {
            try {
                while (inFlight.get() < IN_FLIGHT && session.isOpen() && !dropped.get()) {
                    EgressEntry next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    inFlight.incrementAndGet();
                    session.sendText(EgressFrames.json(next), this);
                }
            } finally {
                sending.set(false);
            }
            if (inFlight.get() >= IN_FLIGHT || queue.isEmpty() || !session.isOpen() || dropped.get()) {
                return;
            }
        }
    }

    /** A frame was written: room for the next one. */
    @Override
    public void succeed() {
        inFlight.decrementAndGet();
        sendQueued();
    }

    @Override
    public void fail(Throwable failure) {
        inFlight.decrementAndGet();
        LOG.debug("region {}: WebSocket {} send failed: {}", region, id, failure.toString());
    }

    private void disconnect(EgressLane lane, String reason) {
        if (dropped.compareAndSet(false, true)) {
            metrics.disconnected();
            queue.clear();
            String why = "delivery_policy disconnect: " + reason;
            LOG.info("region {}: disconnecting WebSocket subscriber {} ({}) on {}: {}", region, id,
                    session.getRemoteSocketAddress(), lane.pattern(), why);
            // Behind the frames Jetty holds already; the client reads it before the close if it reads on.
            session.sendText(StreamFrames.toJson(EgressFrames.disconnected(why)), Callback.NOOP);
            session.close(POLICY_VIOLATION, why, Callback.NOOP);
            onDisconnect.run();
        }
    }

    @Override
    public int unsentFrames() {
        return queue.frames() + inFlight.get();
    }

    @Override
    public String toString() {
        return "WebSocket " + id;
    }
}
