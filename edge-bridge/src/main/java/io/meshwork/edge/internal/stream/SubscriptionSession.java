package io.meshwork.edge.internal.stream;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.TokenExpiry;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.durable.DurableSubscriptions;
import io.meshwork.edge.internal.durable.FailoverGaps;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
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
    private final DurableSubscriptions durables;
    private final Access access;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile TokenExpiry.Watch expiry = TokenExpiry.NONE;
    // The queue lane of each subscription held, by pattern and selector; requests come one at a time.
    private final Map<String, EgressLane> lanes = new ConcurrentHashMap<>();
    // Each subscription held, watched for an ACL change that no longer allows it; by the lane key.
    private final Map<String, TokenExpiry.Watch> grants = new ConcurrentHashMap<>();

    /**
     * A session that refuses {@code delivery_policy: durable}.
     *
     * @param onClosed told once, when the session closed, however it closed
     */
    public SubscriptionSession(SessionTransport transport, SubscriptionRegistry registry, MeshActivation activation,
                               String region, WhenRefused whenRefused, Runnable onClosed) {
        this(transport, registry, activation, region, whenRefused, onClosed, null);
    }

    /**
     * @param onClosed told once, when the session closed, however it closed
     * @param durables serves the stream's durable subscriptions; {@code null}: they are refused
     */
    public SubscriptionSession(SessionTransport transport, SubscriptionRegistry registry, MeshActivation activation,
                               String region, WhenRefused whenRefused, Runnable onClosed, DurableSubscriptions durables) {
        this(transport, registry, activation, region, whenRefused, onClosed, durables, Access.open());
    }

    /**
     * @param onClosed told once, when the session closed, however it closed
     * @param durables serves the stream's durable subscriptions; {@code null}: they are refused
     * @param access   what the stream's client may subscribe to; its group and selector never widen it
     */
    public SubscriptionSession(SessionTransport transport, SubscriptionRegistry registry, MeshActivation activation,
                               String region, WhenRefused whenRefused, Runnable onClosed, DurableSubscriptions durables,
                               Access access) {
        this.access = Objects.requireNonNull(access, "access");
        this.durables = durables;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.activation = Objects.requireNonNull(activation, "activation");
        this.region = Objects.requireNonNull(region, "region");
        this.whenRefused = Objects.requireNonNull(whenRefused, "whenRefused");
        this.onClosed = Objects.requireNonNull(onClosed, "onClosed");
    }

    /**
     * Ends the session and its connection when the client's token expires (the stream is the
     * connection: WebSocket, gRPC): its subscriptions are removed and the transport is revoked.
     *
     * @return this session
     */
    public SubscriptionSession endingAtTokenExpiry() {
        expiry = access.untilExpiry(transport.toString(), refusal -> {
            if (!closed.get()) {
                transport.revoke(refusal); // first: closing the session tells the transport to drop everything
                close("token expired");
            }
        });
        if (closed.get()) {
            expiry.cancel(); // ended while the watch was being set up
        }
        return this;
    }

    /** Applies one request and answers it with a control frame. */
    public void handle(SubscriptionRequest request) {
        SubscriptionRequests.Valid valid;
        try {
            valid = SubscriptionRequests.validate(request, durables != null && durables.failoverGaps().isPresent());
            if (valid.isSubscribe()) {
                access.checkSubscribe(valid.pattern()); // on the pattern alone: a selector or group only narrows it
            }
        } catch (Refusal refusal) {
            refuse(refusal, request);
            return;
        }
        if (closed.get()) {
            return; // ended while the request was in flight: subscribing now would leak the subscription
        }
        TopicPattern pattern = valid.pattern();
        if (valid.isSubscribe() && valid.policy() == DeliveryPolicy.DURABLE) {
            subscribeDurable(valid);
        } else if (valid.isSubscribe()) {
            Optional<FailoverGaps> gaps = failoverGaps(valid);
            FailoverGaps.From gapFrom = null;
            EgressLane lane = transport.openLane(valid.policy(), pattern.value());
            if (!request.getResumeToken().isEmpty()) {
                try {
                    gapFrom = resumeFrom(gaps, lane, request.getResumeToken());
                } catch (Refusal refusal) {
                    transport.closeLane(lane);
                    refuse(refusal, request);
                    return;
                }
            }
            String startToken = "";
            if (registry.subscribe(transport, pattern, valid.selector(), valid.group(), lane)) {
                String key = laneKey(pattern, valid.selector().expression(), valid.group());
                lanes.put(key, lane);
                hold(key, valid);
                // Right after registering: the cut from which the delivery offers this subscription every event.
                startToken = gaps.map(FailoverGaps::tokenNow).orElse("");
                if (gapFrom != null) {
                    gaps.get().count(gapFrom, pattern, valid.selector(), transport + " " + pattern.value(),
                            (missed, exact) -> transport.releaseLane(lane, missed, exact));
                }
            } else {
                transport.closeLane(lane); // held already: the first subscription's policy stays
            }
            String confirmedToken = startToken;
            // In routed delivery SUBSCRIBED waits until the router routes for the subscription (the
            // promise: every matching event published after it); MESH_ACTIVE always comes after it.
            registry.whenDelivering(pattern, valid.selector().expression(), valid.group())
                    .thenCompose(delivering -> {
                        if (!closed.get()) {
                            transport.send(StreamFrames.confirmation(StreamControl.Type.SUBSCRIBED, request).toBuilder()
                                    .setResumeToken(confirmedToken).build());
                        }
                        return activation.whenActive(pattern.value(), valid.selector().expression());
                    })
                    .thenRun(() -> {
                        if (!closed.get()) {
                            transport.send(StreamFrames.confirmation(StreamControl.Type.MESH_ACTIVE, request));
                        }
                    })
                    .exceptionally(error -> notDelivering(valid, error));
            LOG.debug("region {}: {} subscribed to {}", region, transport, pattern.value());
            if (closed.get()) {
                registry.removeAll(transport); // lost a race with the stream's end
            }
        } else if (registry.unsubscribe(transport, pattern, valid.selector().expression(), valid.group())) {
            release(laneKey(pattern, valid.selector().expression(), valid.group()));
            EgressLane lane = lanes.remove(laneKey(pattern, valid.selector().expression(), valid.group()));
            if (lane != null) {
                transport.closeLane(lane);
            }
            transport.send(StreamFrames.confirmation(StreamControl.Type.UNSUBSCRIBED, request));
            LOG.debug("region {}: {} unsubscribed from {}", region, transport, pattern.value());
        } else if (durables != null && durables.unsubscribe(transport, pattern, valid.selector().expression())) {
            release(durableKey(pattern, valid.selector().expression()));
            transport.send(StreamFrames.confirmation(StreamControl.Type.UNSUBSCRIBED, request));
            LOG.debug("region {}: {} unsubscribed from {}", region, transport, pattern.value());
        } else {
            refuse(new Refusal(ClientError.NOT_SUBSCRIBED, "topic_pattern",
                    "this stream holds no subscription to '" + pattern.value() + "'"), request);
        }
    }

    /**
     * A subscription whose events cannot reach this edge (a consumer group whose Kafka feed failed,
     * e.g. the edge may not read the group's Kafka group): it is removed and refused with the reason,
     * never left confirmed and silent.
     */
    private Void notDelivering(SubscriptionRequests.Valid valid, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String expression = valid.selector().expression();
        if (registry.unsubscribe(transport, valid.pattern(), expression, valid.group())) {
            release(laneKey(valid.pattern(), expression, valid.group()));
            EgressLane lane = lanes.remove(laneKey(valid.pattern(), expression, valid.group()));
            if (lane != null) {
                transport.closeLane(lane);
            }
        }
        refuse(new Refusal(ClientError.BROKER_UNAVAILABLE, valid.group().isPresent() ? "group" : "topic_pattern",
                String.valueOf(cause.getMessage())), valid.request());
        return null;
    }

    /** Failover gaps are counted for subscriptions on their own (not in a group) where the edge counts them. */
    private Optional<FailoverGaps> failoverGaps(SubscriptionRequests.Valid valid) {
        return durables == null || valid.group().isPresent() ? Optional.empty() : durables.failoverGaps();
    }

    /**
     * A non-durable subscription resumed after a failover: its token is checked as a durable one's
     * and its lane held until the gap since the token is counted.
     *
     * @throws Refusal {@code INVALID_RESUME_TOKEN} naming {@code resume_token}
     */
    private FailoverGaps.From resumeFrom(Optional<FailoverGaps> gaps, EgressLane lane, String token) {
        // Validation let the token through only where gaps are counted and the subscription is on its own.
        FailoverGaps.From from = gaps.orElseThrow().check(token);
        if (!transport.holdLane(lane)) {
            throw new Refusal(ClientError.INVALID_RESUME_TOKEN, "resume_token", "resume_token is only accepted with "
                    + "delivery_policy 'durable' on " + transport);
        }
        return from;
    }

    /** A durable subscription reads Kafka on its own ({@link DurableSubscriptions}); confirmed before its first event. */
    private void subscribeDurable(SubscriptionRequests.Valid valid) {
        SubscriptionRequest request = valid.request();
        if (durables == null) {
            refuse(new Refusal(ClientError.INVALID_DELIVERY_POLICY, "delivery_policy",
                    "delivery_policy 'durable' is not served on this stream"), request);
            return;
        }
        if (valid.group().isPresent()) {
            // Each durable subscription keeps its own position; sharing one among members is not built.
            refuse(new Refusal(ClientError.INVALID_GROUP, "group", "a consumer group is not available with "
                    + "delivery_policy 'durable': each durable subscription keeps its own position"), request);
            return;
        }
        try {
            durables.subscribe(transport, valid, startToken -> {
                if (!closed.get()) {
                    // The start position's token: a client that loses this edge before the first event resumes here.
                    transport.send(StreamFrames.confirmation(StreamControl.Type.SUBSCRIBED, request).toBuilder()
                            .setResumeToken(startToken).build());
                }
            });
        } catch (Refusal refusal) {
            refuse(refusal, request);
            return;
        }
        hold(durableKey(valid.pattern(), valid.selector().expression()), valid);
        activation.whenActive(valid.pattern().value(), valid.selector().expression()).thenRun(() -> {
            if (!closed.get()) {
                transport.send(StreamFrames.confirmation(StreamControl.Type.MESH_ACTIVE, request));
            }
        });
        LOG.debug("region {}: {} subscribed durably to {}", region, transport, valid.pattern().value());
        if (closed.get()) {
            durables.removeAll(transport); // lost a race with the stream's end
        }
    }

    /** Watches a subscription just made for an ACL change that no longer allows it (only with auth on). */
    private void hold(String key, SubscriptionRequests.Valid valid) {
        if (grants.containsKey(key)) {
            return; // the same durable subscription asked for again: one watch
        }
        TokenExpiry.Watch grant = access.whileAllowed(valid.pattern(), transport.toString(), refusal -> revoked(key, valid, refusal));
        TokenExpiry.Watch raced = grants.putIfAbsent(key, grant);
        if (raced != null || closed.get()) {
            grant.cancel();
            if (closed.get()) {
                grants.values().forEach(TokenExpiry.Watch::cancel);
            }
        }
    }

    private void release(String key) {
        TokenExpiry.Watch grant = grants.remove(key);
        if (grant != null) {
            grant.cancel();
        }
    }

    /**
     * An ACL change no longer allows a subscription: it is removed at once with its interest, what
     * is queued for it is dropped (counted), and the client is told as for a refused SUBSCRIBE: an
     * {@code ERROR} frame naming the pattern while the stream keeps its other subscriptions, or, on
     * a stream left with none where the transport's contract says so, the stream's end (gRPC
     * {@code PERMISSION_DENIED}, an AMQP link detached with {@code amqp:unauthorized-access}).
     * Runs on the thread that applied the ACL change.
     */
    private void revoked(String key, SubscriptionRequests.Valid valid, Refusal refusal) {
        grants.remove(key);
        if (closed.get()) {
            return;
        }
        String expression = valid.selector().expression();
        TopicPattern pattern = valid.pattern();
        long dropped = 0;
        if (valid.policy() == DeliveryPolicy.DURABLE) {
            if (durables == null || !durables.unsubscribe(transport, pattern, expression)) {
                return; // ended meanwhile
            }
            // Durable deliveries queue outside any lane: drop the ones of topics the client may no longer receive.
            dropped = transport.discardQueued(event -> matches(pattern, event.getTopic())
                    && !access.mayReceive(TopicName.of(event.getTopic())));
        } else {
            if (!registry.unsubscribe(transport, pattern, expression, valid.group())) {
                return; // ended meanwhile
            }
            EgressLane lane = lanes.remove(key);
            if (lane != null) {
                dropped = transport.discardLane(lane);
            }
        }
        access.droppedAtCut(transport.toString(), pattern.value(), dropped);
        if (whenRefused == WhenRefused.END_IF_NO_SUBSCRIPTION && !registry.holdsAny(transport)
                && (durables == null || !durables.holdsAny(transport))) {
            transport.revoke(refusal); // first: closing the session tells the transport to drop everything
            close("subscription '" + pattern.value() + "' revoked");
            return;
        }
        transport.send(StreamFrames.error(refusal, valid.request()));
    }

    private static boolean matches(TopicPattern pattern, String topic) {
        try {
            return pattern.matches(TopicName.of(topic));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String durableKey(TopicPattern pattern, String selectorExpression) {
        return "durable\u0000" + pattern.value() + '\u0000' + selectorExpression.strip();
    }

    /** A plain subscription and a group membership on the same pattern and selector are two subscriptions. */
    private static String laneKey(TopicPattern pattern, String selectorExpression, Optional<String> group) {
        return pattern.value() + '\u0000' + selectorExpression.strip() + '\u0000' + group.orElse("");
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
        if (whenRefused == WhenRefused.END_IF_NO_SUBSCRIPTION && !registry.holdsAny(transport)
                && (durables == null || !durables.holdsAny(transport))) {
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
            expiry.cancel();
            grants.values().forEach(TokenExpiry.Watch::cancel);
            grants.clear();
            registry.removeAll(transport);
            if (durables != null) {
                durables.removeAll(transport);
            }
            onClosed.run();
            LOG.debug("region {}: {} closed: {}", region, transport, how);
        }
    }

    /** Whether the session has closed. */
    public boolean isClosed() {
        return closed.get();
    }

    /** What the session's client may do. */
    public Access access() {
        return access;
    }

    /** The connection this session serves. */
    public SessionTransport transport() {
        return transport;
    }
}
