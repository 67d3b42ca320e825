package io.meshwork.edge;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real WebSocket subscriber (Jetty's client) on an edge's {@code /v1/stream}, recording every
 * frame it receives as an {@code EventEnvelope}.
 */
public final class StreamClient implements Session.Listener.AutoDemanding, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final WebSocketClient client;
    private final List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
    private volatile Session session;
    private volatile int closeStatus = -1;

    private StreamClient(WebSocketClient client) {
        this.client = client;
    }

    public static StreamClient connect(String streamUrl) throws Exception {
        return connect(streamUrl, new WebSocketClient());
    }

    /** Connects with {@code client} (not started yet), e.g. one whose HTTP client speaks TLS. */
    public static StreamClient connect(String streamUrl, WebSocketClient client) throws Exception {
        StreamClient stream = new StreamClient(client);
        stream.client.start();
        stream.session = stream.client.connect(stream, URI.create(streamUrl)).get(10, TimeUnit.SECONDS);
        return stream;
    }

    /** Connects with {@code headers} on the upgrade request (e.g. Authorization); the client is stopped if the upgrade fails. */
    public static StreamClient connect(String streamUrl, java.util.Map<String, String> headers) throws Exception {
        StreamClient stream = new StreamClient(new WebSocketClient());
        stream.client.start();
        org.eclipse.jetty.websocket.client.ClientUpgradeRequest upgrade = new org.eclipse.jetty.websocket.client.ClientUpgradeRequest();
        headers.forEach(upgrade::setHeader);
        try {
            stream.session = stream.client.connect(stream, URI.create(streamUrl), upgrade).get(10, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            stream.client.stop();
            throw e;
        }
        return stream;
    }

    @Override
    public void onWebSocketText(String message) {
        EventEnvelope.Builder frame = EventEnvelope.newBuilder();
        try {
            JsonFormat.parser().merge(message, frame);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("edge sent a frame that is not an EventEnvelope: " + message, e);
        }
        frames.add(frame.build());
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeStatus = statusCode;
    }

    public void send(String text) throws Exception {
        session.sendText(text, Callback.NOOP);
    }

    public void sendBinary(byte[] bytes) {
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.NOOP);
    }

    /** Subscribes and waits for the edge's confirmation. */
    public void subscribe(String pattern) throws Exception {
        send("{\"clientId\":\"test\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\"}");
        awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    /**
     * Subscribes and waits until the subscription is active in every region ({@code MESH_ACTIVE});
     * only on an edge of a mesh with routers.
     */
    public void subscribeMeshWide(String pattern) throws Exception {
        subscribe(pattern);
        awaitControl(StreamControl.Type.MESH_ACTIVE, pattern);
    }

    /** Subscribes with a selector and waits for the edge's confirmation. */
    public void subscribe(String pattern, String filterExpression) throws Exception {
        send("{\"clientId\":\"test\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern
                + "\",\"filterExpression\":\"" + filterExpression.replace("\"", "\\\"") + "\"}");
        awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    /** Unsubscribes and waits for the edge's confirmation. */
    public void unsubscribe(String pattern) throws Exception {
        send("{\"clientId\":\"test\",\"action\":\"UNSUBSCRIBE\",\"topicPattern\":\"" + pattern + "\"}");
        awaitControl(StreamControl.Type.UNSUBSCRIBED, pattern);
    }

    public StreamControl awaitControl(StreamControl.Type type, String pattern) {
        return awaitFrame(f -> f.hasControl() && f.getControl().getType() == type
                && f.getControl().getTopicPattern().equals(pattern)).getControl();
    }

    /** Whether a control frame {@code type} for {@code pattern} has come, without waiting. */
    public boolean hasControl(StreamControl.Type type, String pattern) {
        return frames.stream().anyMatch(f -> f.hasControl() && f.getControl().getType() == type
                && f.getControl().getTopicPattern().equals(pattern));
    }

    /** Waits for the next ERROR control frame after {@code previousErrors} errors. */
    public StreamControl awaitError(int previousErrors) {
        waiting().until(() -> errors().size() > previousErrors);
        return errors().get(previousErrors);
    }

    // Frames arrive within milliseconds; poll tightly so a thousand awaits do not cost minutes.
    private static org.awaitility.core.ConditionFactory waiting() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
    }

    public List<StreamControl> errors() {
        return frames.stream().filter(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.ERROR)
                .map(EventEnvelope::getControl).toList();
    }

    public EventEnvelope awaitFrame(Predicate<EventEnvelope> wanted) {
        return waiting().until(() -> frames.stream().filter(wanted).findFirst().orElse(null), f -> f != null);
    }

    public EventEnvelope awaitEvent(String eventId) {
        return awaitFrame(f -> f.getEventId().equals(eventId));
    }

    /** Event frames received so far, in order. */
    public List<EventEnvelope> events() {
        return frames.stream().filter(f -> !f.hasControl()).toList();
    }

    /** The status the connection was closed with, -1 while open. */
    public int closeStatus() {
        return closeStatus;
    }

    public boolean isOpen() {
        return session.isOpen() && closeStatus == -1;
    }

    @Override
    public void close() throws Exception {
        if (session != null && session.isOpen()) {
            session.close();
        }
        client.stop();
    }
}
