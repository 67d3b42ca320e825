package io.meshwork.bench.harness;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A WebSocket subscriber on an edge's {@code /v1/stream} (Jetty's client, as any Java client
 * would use). Event frames are not fully parsed: only the topic and the payload's timestamp are
 * read, so the subscriber's own cost stays small beside the edge's.
 */
public final class WsSubscriber implements Session.Listener.AutoDemanding, AutoCloseable {

    private final WebSocketClient client;
    private final boolean ownsClient;
    private final Delivery delivery;
    private final Set<String> controls = ConcurrentHashMap.newKeySet();
    private volatile Session session;

    private WsSubscriber(WebSocketClient client, boolean ownsClient, Delivery delivery) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.delivery = delivery;
    }

    /** Connects with a client of its own. */
    public static WsSubscriber connect(String streamUrl, Delivery delivery) throws Exception {
        WebSocketClient client = new WebSocketClient();
        client.start();
        return connect(client, true, streamUrl, delivery);
    }

    /** Connects with a shared client (many connections from one client). */
    public static WsSubscriber connect(WebSocketClient client, String streamUrl, Delivery delivery) throws Exception {
        return connect(client, false, streamUrl, delivery);
    }

    private static WsSubscriber connect(WebSocketClient client, boolean owns, String streamUrl, Delivery delivery) throws Exception {
        WsSubscriber subscriber = new WsSubscriber(client, owns, delivery);
        subscriber.session = client.connect(subscriber, URI.create(streamUrl)).get(30, TimeUnit.SECONDS);
        return subscriber;
    }

    /** Sends a subscribe request without waiting for its confirmation. */
    public void subscribeAsync(String pattern) {
        session.sendText("{\"clientId\":\"bench\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\"}", Callback.NOOP);
    }

    /** Subscribes and waits for the control frame {@code type} (SUBSCRIBED or MESH_ACTIVE) for {@code pattern}. */
    public void subscribe(String pattern, String type, Duration timeout) throws TimeoutException, InterruptedException {
        subscribeAsync(pattern);
        awaitControl(type, pattern, timeout);
    }

    public void awaitControl(String type, String pattern, Duration timeout) throws TimeoutException, InterruptedException {
        String key = type + "|" + pattern;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (controls) {
            while (!controls.contains(key)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no " + type + " for " + pattern + " within " + timeout);
                }
                controls.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void onWebSocketText(String frame) {
        long received = System.nanoTime();
        if (frame.contains("\"control\"")) {
            String type = field(frame, "type");
            String pattern = field(frame, "topicPattern");
            synchronized (controls) {
                controls.add(type + "|" + pattern);
                controls.notifyAll();
            }
            return;
        }
        String payload = field(frame, "payloadBytes");
        long published = payload == null ? -1 : Payloads.timeOf(Base64.getDecoder().decode(payload));
        delivery.delivered(field(frame, "topic"), published, received);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Closing a connection the edge already closed reports ClosedChannelException: nothing to do.
    }

    /** The string value of the first {@code "name":"value"} in a proto3 JSON frame. */
    static String field(String json, String name) {
        String mark = "\"" + name + "\":\"";
        int start = json.indexOf(mark);
        if (start < 0) {
            return null;
        }
        start += mark.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    public boolean isOpen() {
        return session != null && session.isOpen();
    }

    @Override
    public void close() throws Exception {
        if (session != null && session.isOpen()) {
            session.close();
        }
        if (ownsClient) {
            client.stop();
        }
    }
}
