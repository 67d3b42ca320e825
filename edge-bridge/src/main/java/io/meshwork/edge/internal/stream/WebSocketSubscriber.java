package io.meshwork.edge.internal.stream;

import io.meshwork.edge.internal.Refusal;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket connection as a subscriber. Sends are asynchronous; a connection that lets more
 * than the configured number of frames pile up unsent is closed as a slow consumer (close code
 * 1008), so one stalled client never makes the edge buffer without bound.
 */
final class WebSocketSubscriber implements SessionTransport {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSubscriber.class);
    private static final int POLICY_VIOLATION = 1008;

    private final Session session;
    private final String id;
    private final String region;
    private final int maxPendingFrames;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean dropped = new AtomicBoolean();

    WebSocketSubscriber(Session session, String id, String region, int maxPendingFrames) {
        this.session = session;
        this.id = id;
        this.region = region;
        this.maxPendingFrames = maxPendingFrames;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void deliver(OutboundEvent event) {
        send(event.json());
    }

    @Override
    public void send(EventEnvelope frame) {
        send(StreamFrames.toJson(frame));
    }

    /** Closes with 1008 (policy violation); the reason names the code and field (close reasons hold 123 bytes). */
    @Override
    public void close(Refusal reason) {
        if (dropped.compareAndSet(false, true)) {
            session.close(POLICY_VIOLATION, reason.error() + " " + reason.field(), Callback.NOOP);
        }
    }

    private void send(String json) {
        if (!session.isOpen() || dropped.get()) {
            return;
        }
        if (pending.incrementAndGet() > maxPendingFrames) {
            pending.decrementAndGet();
            dropAsSlowConsumer();
            return;
        }
        session.sendText(json, Callback.from(pending::decrementAndGet, failure -> {
            pending.decrementAndGet();
            LOG.debug("region {}: WebSocket {} send failed: {}", region, id, failure.toString());
        }));
    }

    private void dropAsSlowConsumer() {
        if (dropped.compareAndSet(false, true)) {
            LOG.info("region {}: closing WebSocket subscriber {} ({}): {} frames unsent, slow consumer",
                    region, id, session.getRemoteSocketAddress(), maxPendingFrames);
            session.close(POLICY_VIOLATION, "slow consumer: more than " + maxPendingFrames + " frames unsent", Callback.NOOP);
        }
    }

    @Override
    public int unsentFrames() {
        return pending.get();
    }

    @Override
    public String toString() {
        return "WebSocket " + id;
    }
}
