package io.meshwork.bench.harness;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A WebSocket subscriber that reads at most a fixed number of frames a second: it asks Jetty for
 * the next frame only on a timer, so the rest stays in its socket and backs up into the edge, as
 * with a real slow client. Counts the events it reads and the losses the edge told it of
 * ({@code droppedBefore}).
 */
public final class ThrottledWsSubscriber implements Session.Listener, AutoCloseable {

    private final WebSocketClient client = new WebSocketClient();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-slow-reader");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean demanding = new AtomicBoolean(true);
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong droppedBefore = new AtomicLong();
    private final AtomicLong disconnected = new AtomicLong();
    private volatile Session session;

    private ThrottledWsSubscriber() {
    }

    /**
     * Connects, subscribes to {@code pattern} with {@code policy}, and from then on reads
     * {@code framesPerSecond} frames a second.
     */
    public static ThrottledWsSubscriber connect(String streamUrl, String pattern, String policy, int framesPerSecond)
            throws Exception {
        ThrottledWsSubscriber subscriber = new ThrottledWsSubscriber();
        subscriber.client.start();
        subscriber.client.connect(subscriber, URI.create(streamUrl)).get(30, TimeUnit.SECONDS);
        subscriber.session.sendText("{\"clientId\":\"bench-slow\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern
                + "\",\"deliveryPolicy\":\"" + policy + "\"}", Callback.NOOP);
        long periodMicros = Duration.ofSeconds(1).toNanos() / 1000 / framesPerSecond;
        subscriber.timer.scheduleAtFixedRate(subscriber::readOne, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        return subscriber;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.demand(); // the confirmation
    }

    @Override
    public void onWebSocketText(String frame) {
        demanding.set(false);
        if (frame.contains("\"control\"")) {
            if (frame.contains("\"DISCONNECTED\"")) {
                disconnected.incrementAndGet();
            }
            return;
        }
        events.incrementAndGet();
        String dropped = WsSubscriber.field(frame, "droppedBefore"); // uint64: a JSON string
        if (dropped != null) {
            droppedBefore.addAndGet(Long.parseLong(dropped));
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Closing a connection the edge already closed reports ClosedChannelException: nothing to do.
    }

    private void readOne() {
        Session current = session;
        if (current != null && current.isOpen() && demanding.compareAndSet(false, true)) {
            current.demand();
        }
    }

    public long events() {
        return events.get();
    }

    /** Events the edge said it dropped for this subscriber. */
    public long droppedBefore() {
        return droppedBefore.get();
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        if (session != null && session.isOpen()) {
            session.close();
        }
        client.stop();
    }
}
