package io.meshwork.edge.internal.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket {@code /v1/stream}: clients send {@code SubscriptionRequest} frames (proto3 JSON) and
 * receive {@code EventEnvelope} frames; they may also publish with {@code PublishRequest} frames
 * ({@link StreamPublishing}). Every request is confirmed or rejected with a control
 * frame; a bad frame never closes the connection or touches its other subscriptions. A
 * subscription is confirmed twice: {@code SUBSCRIBED} when it is active on this edge, then
 * {@code MESH_ACTIVE} once every region's router routes for it.
 */
public final class StreamEndpoint implements Consumer<WsConfig> {

    /** Largest client frame read as a request; larger ones get a FRAME_TOO_LARGE error frame. */
    public static final int MAX_REQUEST_FRAME_CHARS = SubscriptionRequests.MAX_REQUEST_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);

    private final SubscriptionRegistry registry;
    private final MeshActivation activation;
    private final StreamPublishing publishing;
    private final String region;
    private final int maxPendingFrames;
    private final Map<String, WebSocketSubscriber> connections = new ConcurrentHashMap<>();

    public StreamEndpoint(SubscriptionRegistry registry, MeshActivation activation, StreamPublishing publishing, String region,
                          int maxPendingFrames) {
        this.registry = registry;
        this.activation = activation;
        this.publishing = publishing;
        this.region = region;
        this.maxPendingFrames = maxPendingFrames;
    }

    @Override
    public void accept(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings();
            connections.put(ctx.sessionId(), new WebSocketSubscriber(ctx.session, ctx.sessionId(), region, maxPendingFrames));
            LOG.debug("region {}: WebSocket {} connected from {}", region, ctx.sessionId(), ctx.session.getRemoteSocketAddress());
        });
        ws.onMessage(ctx -> onRequest(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> reject(ctx, "UNSUPPORTED_FRAME", "frame",
                "binary frames are not supported; send SubscriptionRequest as a proto3 JSON text frame", null));
        ws.onClose(ctx -> disconnected(ctx, "closed (" + ctx.status() + ")"));
        ws.onError(ctx -> disconnected(ctx, "failed: " + (ctx.error() == null ? "unknown" : ctx.error().toString())));
    }

    /** Number of open WebSocket connections. */
    public int connectionCount() {
        return connections.size();
    }

    private void onRequest(WsContext ctx, String frame) {
        if (frame.length() > MAX_REQUEST_FRAME_CHARS) {
            reject(ctx, "FRAME_TOO_LARGE", "frame", "request frame of " + frame.getBytes(StandardCharsets.UTF_8).length
                    + " bytes exceeds the limit of " + MAX_REQUEST_FRAME_CHARS, null);
            return;
        }
        SubscriptionRequest request;
        try {
            request = StreamFrames.parseRequest(frame);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            PublishRequest publish = StreamPublishing.parse(frame);
            WebSocketSubscriber connection = connections.get(ctx.sessionId());
            if (publish != null && connection != null) {
                publishing.publish(publish, connection::send);
                return;
            }
            reject(ctx, "MALFORMED_FRAME", "frame", "neither a SubscriptionRequest nor a PublishRequest in proto3 JSON: "
                    + e.getMessage(), null);
            return;
        }
        SubscriptionRequests.Valid valid;
        try {
            valid = SubscriptionRequests.validate(request);
        } catch (SubscriptionRequests.Rejected rejected) {
            reject(ctx, rejected.code(), rejected.field(), rejected.getMessage(), request);
            return;
        }
        TopicPattern pattern = valid.pattern();
        Selector selector = valid.selector();
        WebSocketSubscriber subscriber = connections.get(ctx.sessionId());
        if (subscriber == null) {
            return; // closed while the frame was in flight
        }
        if (valid.isSubscribe()) {
            registry.subscribe(subscriber, pattern, selector);
            subscriber.send(StreamFrames.confirmation(StreamControl.Type.SUBSCRIBED, request));
            activation.whenActive(pattern.value(), selector.expression())
                    .thenRun(() -> subscriber.send(StreamFrames.confirmation(StreamControl.Type.MESH_ACTIVE, request)));
            LOG.debug("region {}: WebSocket {} subscribed to {}", region, subscriber.id(), pattern.value());
        } else if (registry.unsubscribe(subscriber, pattern, selector.expression())) {
            subscriber.send(StreamFrames.confirmation(StreamControl.Type.UNSUBSCRIBED, request));
        } else {
            reject(ctx, "NOT_SUBSCRIBED", "topic_pattern", "this connection holds no subscription to '" + pattern.value() + "'", request);
        }
    }

    private void reject(WsContext ctx, String code, String field, String message, SubscriptionRequest request) {
        WebSocketSubscriber subscriber = connections.get(ctx.sessionId());
        if (subscriber != null) {
            subscriber.send(StreamFrames.error(code, field, message, request));
        }
        LOG.debug("region {}: WebSocket {} frame rejected: {} {}", region, ctx.sessionId(), code, message);
    }

    private void disconnected(WsContext ctx, String how) {
        WebSocketSubscriber subscriber = connections.remove(ctx.sessionId());
        if (subscriber != null) {
            registry.removeAll(subscriber);
            LOG.debug("region {}: WebSocket {} {}", region, ctx.sessionId(), how);
        }
    }
}
