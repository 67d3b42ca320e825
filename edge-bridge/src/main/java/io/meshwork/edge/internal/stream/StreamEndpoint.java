package io.meshwork.edge.internal.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.ClientCertificates;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.meshwork.edge.internal.durable.DurableSubscriptions;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.schema.v1.PublishRequest;
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
 * ({@link StreamPublishing}). Each connection is one {@link SubscriptionSession}: every request is
 * confirmed or rejected with a control frame, and a bad frame never closes the connection or
 * touches its other subscriptions. A subscription is confirmed twice: {@code SUBSCRIBED} when it
 * is active on this edge, then {@code MESH_ACTIVE} once every region's router routes for it.
 */
public final class StreamEndpoint implements Consumer<WsConfig> {

    /** Largest client frame read as a request; larger ones get a FRAME_TOO_LARGE error frame. */
    public static final int MAX_REQUEST_FRAME_CHARS = SubscriptionRequests.MAX_REQUEST_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(StreamEndpoint.class);
    private static final String ACCESS_ATTRIBUTE = "meshwork.access";

    private final SubscriptionRegistry registry;
    private final MeshActivation activation;
    private final StreamPublishing publishing;
    private final String region;
    private final SubscriberQueueSettings subscriberQueue;
    private final DurableSubscriptions durables;
    private final EdgeAuth auth;
    private final Map<String, SubscriptionSession> connections = new ConcurrentHashMap<>();

    public StreamEndpoint(SubscriptionRegistry registry, MeshActivation activation, StreamPublishing publishing, String region,
                          SubscriberQueueSettings subscriberQueue) {
        this(registry, activation, publishing, region, subscriberQueue, null);
    }

    /** @param durables serves durable subscriptions; {@code null}: they are refused */
    public StreamEndpoint(SubscriptionRegistry registry, MeshActivation activation, StreamPublishing publishing, String region,
                          SubscriberQueueSettings subscriberQueue, DurableSubscriptions durables) {
        this(registry, activation, publishing, region, subscriberQueue, durables, null);
    }

    /**
     * @param durables serves durable subscriptions; {@code null}: they are refused
     * @param auth     authenticates each connection at its upgrade ({@link #beforeUpgrade}); {@code null}: auth off
     */
    public StreamEndpoint(SubscriptionRegistry registry, MeshActivation activation, StreamPublishing publishing, String region,
                          SubscriberQueueSettings subscriberQueue, DurableSubscriptions durables, EdgeAuth auth) {
        this.auth = auth;
        this.durables = durables;
        this.registry = registry;
        this.activation = activation;
        this.publishing = publishing;
        this.region = region;
        this.subscriberQueue = subscriberQueue;
    }

    /**
     * Authenticates the upgrade request ({@code Authorization: Bearer}, or {@code ?access_token=} for
     * browsers, which cannot set headers on a WebSocket), or without a token by the verified client
     * certificate (mTLS): a refused token gets HTTP 401 with the JSON error body and no WebSocket.
     */
    public void beforeUpgrade(Context ctx) {
        if (auth == null || !auth.enabled()) {
            return;
        }
        String token = EdgeAuth.bearer(ctx.header("Authorization"));
        if (token == null) {
            token = ctx.queryParam("access_token");
        }
        ctx.attribute(ACCESS_ATTRIBUTE, auth.authenticate(IngressProtocol.WEBSOCKET, token, ClientCertificates.of(ctx.req()), ctx.ip()));
    }

    @Override
    public void accept(WsConfig ws) {
        ws.onConnect(ctx -> {
            Access authenticated = ctx.attribute(ACCESS_ATTRIBUTE);
            Access access = authenticated != null ? authenticated
                    : auth == null ? Access.open() : auth.anonymous(IngressProtocol.WEBSOCKET);
            ctx.enableAutomaticPings();
            String id = ctx.sessionId();
            WebSocketSubscriber connection = new WebSocketSubscriber(ctx.session, id, region, subscriberQueue,
                    () -> disconnected(id, "disconnected under delivery_policy disconnect"));
            connections.put(id, new SubscriptionSession(connection, registry, activation, region,
                    SubscriptionSession.WhenRefused.KEEP_OPEN, () -> {
                        connections.remove(id);
                        connection.closed();
                    }, durables, access).endingAtTokenExpiry());
            LOG.debug("region {}: WebSocket {} connected from {}", region, id, ctx.session.getRemoteSocketAddress());
        });
        ws.onMessage(ctx -> onRequest(ctx, ctx.message()));
        ws.onBinaryMessage(ctx -> refuse(ctx, new Refusal(ClientError.UNSUPPORTED_FRAME, "frame",
                "binary frames are not supported; send SubscriptionRequest as a proto3 JSON text frame")));
        ws.onClose(ctx -> disconnected(ctx, "closed (" + ctx.status() + ")"));
        ws.onError(ctx -> disconnected(ctx, "failed: " + (ctx.error() == null ? "unknown" : ctx.error().toString())));
    }

    /** Number of open WebSocket connections. */
    public int connectionCount() {
        return connections.size();
    }

    private void onRequest(WsContext ctx, String frame) {
        SubscriptionSession session = connections.get(ctx.sessionId());
        if (session == null) {
            return; // closed while the frame was in flight
        }
        if (frame.length() > MAX_REQUEST_FRAME_CHARS) {
            session.refuse(new Refusal(ClientError.FRAME_TOO_LARGE, "frame", "request frame of "
                    + frame.getBytes(StandardCharsets.UTF_8).length + " bytes exceeds the limit of " + MAX_REQUEST_FRAME_CHARS), null);
            return;
        }
        SubscriptionRequest request;
        try {
            request = StreamFrames.parseRequest(frame);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            PublishRequest publish = StreamPublishing.parse(frame);
            if (publish != null) {
                publishing.publish(publish, session.access(), session.transport()::send);
                return;
            }
            session.refuse(new Refusal(ClientError.MALFORMED_FRAME, "frame",
                    "neither a SubscriptionRequest nor a PublishRequest in proto3 JSON: " + e.getMessage()), null);
            return;
        }
        session.handle(request);
    }

    private void refuse(WsContext ctx, Refusal refusal) {
        SubscriptionSession session = connections.get(ctx.sessionId());
        if (session != null) {
            session.refuse(refusal, null);
        }
    }

    private void disconnected(WsContext ctx, String how) {
        disconnected(ctx.sessionId(), how);
    }

    private void disconnected(String id, String how) {
        SubscriptionSession session = connections.get(id);
        if (session != null) {
            session.close("WebSocket " + how);
        }
    }
}
