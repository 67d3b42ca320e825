package io.meshwork.edge.internal.stream;

import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one client stream, whatever carries it (WebSocket, gRPC): applies each
 * {@code SubscriptionRequest} by the rules of {@link SubscriptionRequests}, registers the
 * subscription (and with it the edge's interest), confirms it with {@code SUBSCRIBED} and, once
 * every region routes for it, {@code MESH_ACTIVE}; confirms an unsubscribe with
 * {@code UNSUBSCRIBED}; answers every refused request with an {@code ERROR} frame, or, where the
 * transport's contract says so, by ending a stream that holds no subscription. Whichever way the
 * stream ends, {@link #close} removes its subscriptions.
 *
 * <p>Requests are handled one at a time (each transport reads its client's frames in order);
 * {@link #close} may race with them from any thread.
 */
public final class SubscriptionSession {

    /** What a refused request does to a stream. */
    public enum WhenRefused {
        /** An {@code ERROR} frame; the stream and its subscriptions stay up (WebSocket). */
        KEEP_OPEN,
        /**
         * The stream ends with the refusal when it holds no subscription, since then there is
         * nothing to keep it up for, and a client with only the seed's proto sees the error as the
         * stream's status (gRPC, DESIGN.md 2.6); otherwise an {@code ERROR} frame.
         */
        END_IF_NO_SUBSCRIPTION
    }

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSession.class);

    private final SessionTransport transport;
    private final SubscriptionRegistry registry;
    private final MeshActivation activation;
    private final String region;
    private final WhenRefused whenRefused;
    private final Runnable onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    // The queue lane of each subscription held, by pattern and selector; requests come one at a time.
    private final Map<String, EgressLane> lanes = new ConcurrentHashMap<>();

    /**
     * @param onClosed told once, when the session closed, however it closed
     */
    public SubscriptionSession(SessionTransport transport, SubscriptionRegistry registry, MeshActivation activation,
                               String region, WhenRefused whenRefused, Runnable onClosed) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.activation = Objects.requireNonNull(activation, "activation");
        this.region = Objects.requireNonNull(region, "region");
        this.whenRefused = Objects.requireNonNull(whenRefused, "whenRefused");
        this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
    }

    /** Applies one request and answers it with a control frame. */
    public void handle(SubscriptionRequest request) {
        SubscriptionRequests.Valid valid;
        try {
            valid = SubscriptionRequests.validate(request);
        } catch (Refusal refusal) {
            refuse(refusal, request);
            return;
        }
        if (closed.get()) {
            return; // ended while the request was in flight: subscribing now would leak the subscription
        }
        TopicPattern pattern = valid.pattern();
        if (valid.isSubscribe()) {
            EgressLane lane = transport.openLane(valid.policy(), pattern.value());
            if (registry.subscribe(transport, pattern, valid.selector(), lane)) {
                lanes.put(laneKey(pattern, valid.selector().expression()), lane);
            } else {
                transport.closeLane(lane); // held already: the first subscription's policy stays
            }
            // In routed delivery SUBSCRIBED waits until the router routes for the subscription (the
            // promise: every matching event published after it); MESH_ACTIVE always comes after it.
            registry.whenDelivering(pattern, valid.selector().expression())
                    .thenCompose(delivering -> {
                        if (!closed.get()) {
                            transport.send(StreamFrames.confirmation(StreamControl.Type.SUBSCRIBED, request));
                        }
                        return activation.whenActive(pattern.value(), valid.selector().expression());
                    })
                    .thenRun(() -> {
                        if (!closed.get()) {
                            transport.send(StreamFrames.confirmation(StreamControl.Type.MESH_ACTIVE, request));
                        }
                    });
            LOG.debug("region {}: {} subscribed to {}", region, transport, pattern.value());
            if (closed.get()) {
                registry.removeAll(transport); // lost a race with the stream's end
            }
        } else if (registry.unsubscribe(transport, pattern, valid.selector().expression())) {
            EgressLane lane = lanes.remove(laneKey(pattern, valid.selector().expression()));
            if (lane != null) {
                transport.closeLane(lane);
            }
            transport.send(StreamFrames.confirmation(StreamControl.Type.UNSUBSCRIBED, request));
            LOG.debug("region {}: {} unsubscribed from {}", region, transport, pattern.value());
        } else {
            refuse(new Refusal(ClientError.NOT_SUBSCRIBED, "topic_pattern",
                    "this stream holds no subscription to '" + pattern.value() + "'"), request);
        }
    }

    private static String laneKey(TopicPattern pattern, String selectorExpression) {
        return pattern.value() + '\u0000' + selectorExpression.strip();
    }

    /**
     * Answers a refused client frame: an {@code ERROR} frame, or the end of the stream (see {@link WhenRefused}).
     *
     * @param request the request as far as it could be read, or {@code null}
     */
    public void refuse(Refusal refusal, SubscriptionRequest request) {
        if (closed.get()) {
            return;
        }
        if (whenRefused == WhenRefused.END_IF_NO_SUBSCRIPTION && !registry.holdsAny(transport)) {
            LOG.debug("region {}: ending {}, which holds no subscription: {} {}", region, transport, refusal.error(),
                    refusal.describe());
            close("refused " + refusal.error());
            transport.close(refusal);
            return;
        }
        transport.send(StreamFrames.error(refusal, request));
        LOG.debug("region {}: {} request refused: {} {}", region, transport, refusal.error(), refusal.describe());
    }

    /** Removes the stream's subscriptions; later requests are ignored. Idempotent. */
    public void close(String how) {
        if (closed.compareAndSet(false, true)) {
            registry.removeAll(transport);
            onClosed.run();
            LOG.debug("region {}: {} closed: {}", region, transport, how);
        }
    }

    /** Whether the session has closed. */
    public boolean isClosed() {
        return closed.get();
    }

    /** The connection this session serves. */
    public SessionTransport transport() {
        return transport;
    }
}
