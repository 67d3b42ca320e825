package io.meshwork.edge;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real WebSocket subscriber (Jetty's client) that can stop reading its socket: it asks Jetty for
 * each next frame only while it reads, so once {@link #stall()}ed its TCP receive window (kept
 * small) fills and the edge's sends back up, as with a client that is slow or hung.
 */
public final class StalledStreamClient implements Session.Listener, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final WebSocketClient client;
    private final List<EventEnvelope> frames = new CopyOnWriteArrayList<>();
    private volatile Session session;
    private volatile boolean reading = true;
    private volatile int closeStatus = -1;
    private volatile String closeReason;

    private StalledStreamClient() {
        ClientConnector connector = new ClientConnector();
        connector.setReceiveBufferSize(16 * 1024);
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        client = new WebSocketClient(http);
    }

    public static StalledStreamClient connect(String streamUrl) throws Exception {
        StalledStreamClient stream = new StalledStreamClient();
        stream.client.start();
        stream.client.connect(stream, URI.create(streamUrl)).get(10, TimeUnit.SECONDS);
        return stream;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.demand();
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
        if (reading) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closeStatus = statusCode;
        closeReason = reason;
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Closing a connection the edge already closed reports ClosedChannelException: nothing to do.
    }

    /** Subscribes with {@code policy} and waits for the confirmation. */
    public void subscribe(String pattern, String policy) {
        session.sendText("{\"clientId\":\"stalled\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern
                + "\",\"deliveryPolicy\":\"" + policy + "\"}", Callback.NOOP);
        awaitFrame(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.SUBSCRIBED);
    }

    /** Stops reading: frames stay in the socket, then in the edge. */
    public void stall() {
        reading = false;
    }

    /** Reads again, from the frame after the last one read. */
    public void resume() {
        reading = true;
        session.demand();
    }

    public EventEnvelope awaitFrame(Predicate<EventEnvelope> wanted) {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> frames.stream().filter(wanted).findFirst().orElse(null), f -> f != null);
    }

    /** Waits for the edge to close the connection; returns the close status. */
    public int awaitClose() {
        return await().atMost(WAIT).until(() -> closeStatus, status -> status != -1);
    }

    public String closeReason() {
        return closeReason;
    }

    public List<EventEnvelope> frames() {
        return List.copyOf(frames);
    }

    public List<EventEnvelope> events() {
        return frames.stream().filter(f -> !f.hasControl()).toList();
    }

    @Override
    public void close() throws Exception {
        client.stop();
        http.stop();
    }
}
