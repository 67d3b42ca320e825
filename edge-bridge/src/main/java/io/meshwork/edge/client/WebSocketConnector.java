package io.meshwork.edge.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams over the edge's WebSocket {@code /v1/stream} (DESIGN.md 2.4: proto3 JSON frames), with
 * the JDK's own client.
 */
final class WebSocketConnector implements EdgeConnection.Connector {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final HttpClient http;
    private final Map<String, String> headers;
    private final Duration connectTimeout;

    WebSocketConnector(HttpClient http, Map<String, String> headers, Duration connectTimeout) {
        this.http = http;
        this.headers = Map.copyOf(headers);
        this.connectTimeout = connectTimeout;
    }

    @Override
    public CompletableFuture<EdgeConnection> connect(String address, EdgeConnection.Handler handler) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(connectTimeout);
        headers.forEach(builder::header);
        Frames frames = new Frames(handler);
        return builder.buildAsync(URI.create(address), frames).thenApply(socket -> new Connection(socket, frames));
    }

    private static final class Connection implements EdgeConnection {
        private final WebSocket socket;
        private final Frames frames;
        private CompletableFuture<WebSocket> pending = CompletableFuture.completedFuture(null);

        Connection(WebSocket socket, Frames frames) {
            this.socket = socket;
            this.frames = frames;
        }

        @Override
        public void send(SubscriptionRequest request) {
            String text;
            try {
                text = PRINTER.print(request);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("cannot write the request as JSON: " + e.getMessage(), e);
            }
            // The JDK client allows one outstanding send: chain them.
            synchronized (this) {
                pending = pending.thenCompose(previous -> socket.sendText(text, true)).exceptionally(error -> {
                    frames.lost("send failed: " + error);
                    return socket;
                });
            }
        }

        @Override
        public void close() {
            frames.silence();
            // A close frame, so the edge sees a normal end; abort if it cannot be sent within a second.
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "subscriber closed").orTimeout(1, java.util.concurrent.TimeUnit.SECONDS)
                        .whenComplete((sent, error) -> socket.abort());
            } catch (RuntimeException busy) {
                socket.abort(); // a frame still being sent: no close frame then
            }
        }
    }

    /** Reassembles text frames and hands each envelope over; tells the loss once. */
    private static final class Frames implements WebSocket.Listener {
        private final EdgeConnection.Handler handler;
        private final AtomicBoolean ended = new AtomicBoolean();
        private final StringBuilder partial = new StringBuilder();

        Frames(EdgeConnection.Handler handler) {
            this.handler = handler;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                EventEnvelope.Builder frame = EventEnvelope.newBuilder();
                try {
                    PARSER.merge(text, frame);
                    if (!ended.get()) {
                        handler.onFrame(frame.build());
                    }
                } catch (InvalidProtocolBufferException e) {
                    lost("the edge sent a frame that is not an EventEnvelope: " + e.getMessage());
                    socket.abort();
                    return null;
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            lost("closed by the edge: " + status + (reason.isEmpty() ? "" : " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            lost(error.toString());
        }

        void lost(String reason) {
            if (ended.compareAndSet(false, true)) {
                handler.onLost(reason);
            }
        }

        void silence() {
            ended.set(true);
        }
    }
}
