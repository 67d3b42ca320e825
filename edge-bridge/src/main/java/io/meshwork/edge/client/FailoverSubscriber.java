package io.meshwork.edge.client;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription stream that survives the loss of its edge. It connects to the first of a list of
 * edges of one region (WebSocket {@code ws://host:port/v1/stream} URLs, or gRPC {@code host:port}
 * targets), sends its subscriptions, and when the edge goes away (killed, restarted, network
 * lost) connects to the next edge of the list, then the next, round and round with {@link Backoff},
 * and sends every subscription again, with the resume token of the last event it delivered: a
 * durable subscription resumes after it; a non-durable one restarts at the time of the
 * resubscription, and its first event's {@code dropped_before} counts what it missed since that
 * event (an edge that does not count such gaps refuses the token with {@code INVALID_RESUME_TOKEN};
 * the subscription is then sent again without it, and only {@link Failover#gap()} tells the gap).
 * Consumer group members are sent again without a token.
 *
 * <pre>{@code
 * try (FailoverSubscriber subscriber = FailoverSubscriber.webSocket(List.of(
 *                 "ws://127.0.0.1:38080/v1/stream", "ws://127.0.0.1:38081/v1/stream"))
 *         .subscribe(SubscriptionRequest.newBuilder().setClientId("billing")
 *                 .setAction(SubscriptionRequest.Action.SUBSCRIBE).setTopicPattern("orders/#").build())
 *         .start(event -> System.out.println(event.getEventId()))) {
 *     ...
 * }
 * }</pre>
 */
public final class FailoverSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverSubscriber.class);

    private final List<String> edges;
    private final EdgeConnection.Connector connector;
    private final Backoff backoff;
    private final FailoverListener listener;
    private final Map<SubscriptionKey, SubscriptionRequest> subscriptions;
    private final ResumePoints resumePoints = new ResumePoints();
    private final ScheduledExecutorService reconnects;

    // Guarded by this.
    private EdgeConnection current;
    private int edgeIndex;
    private int failures;
    private String lostEdge;
    private Instant lostAt;
    private final Set<SubscriptionKey> unconfirmed = new HashSet<>();
    private boolean closed;

    private FailoverSubscriber(Builder builder, FailoverListener listener) {
        this.edges = List.copyOf(builder.edges);
        this.connector = builder.connector.get();
        this.backoff = builder.backoff;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.subscriptions = new LinkedHashMap<>(builder.subscriptions);
        this.reconnects = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "meshwork-failover");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A subscriber over WebSocket; {@code streamUrls} are the {@code /v1/stream} URLs of the region's edges. */
    public static Builder webSocket(List<String> streamUrls) {
        return new Builder(streamUrls, false);
    }

    /** A subscriber over gRPC; {@code targets} are the {@code host:port} gRPC addresses of the region's edges. */
    public static Builder grpc(List<String> targets) {
        return new Builder(targets, true);
    }

    /** Adds a subscription while running; it is confirmed by the current edge and sent again after every failover. */
    public synchronized void subscribe(SubscriptionRequest request) {
        SubscriptionRequest subscribe = Builder.checked(request);
        subscriptions.put(SubscriptionKey.of(subscribe), subscribe);
        if (current != null) {
            current.send(subscribe);
        }
    }

    /** Removes a subscription: it is unsubscribed at the current edge and not sent again. */
    public synchronized void unsubscribe(String topicPattern, String filterExpression) {
        SubscriptionKey key = new SubscriptionKey(topicPattern, filterExpression);
        SubscriptionRequest removed = subscriptions.remove(key);
        resumePoints.forget(key);
        unconfirmed.remove(key);
        if (removed != null && current != null) {
            current.send(removed.toBuilder().setAction(SubscriptionRequest.Action.UNSUBSCRIBE).clearResumeToken().build());
        }
    }

    /** The edge currently serving the stream, or {@code null} while reconnecting. */
    public synchronized String currentEdge() {
        return current == null ? null : edges.get(edgeIndex);
    }

    private void begin() {
        reconnects.execute(this::attempt);
    }

    private void attempt() {
        String edge;
        synchronized (this) {
            if (closed) {
                return;
            }
            edge = edges.get(edgeIndex);
        }
        Handler handler = new Handler(edge);
        connector.connect(edge, handler).whenComplete((connection, error) -> {
            if (error != null) {
                LOG.debug("edge {} not reachable: {}", edge, error.toString());
                retry();
                return;
            }
            synchronized (this) {
                if (closed || handler.lostEarly) {
                    connection.close();
                    return;
                }
                current = connection;
                handler.connection = connection;
                unconfirmed.clear();
                unconfirmed.addAll(subscriptions.keySet());
                subscriptions.values().forEach(subscription -> connection.send(resumePoints.resume(subscription)));
                LOG.info("connected to edge {}; subscribing {} subscription(s)", edge, subscriptions.size());
            }
        });
    }

    private synchronized void retry() {
        if (closed) {
            return;
        }
        failures++;
        edgeIndex = (edgeIndex + 1) % edges.size();
        Duration delay = backoff.delay(failures, edges.size());
        reconnects.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void lost(Handler handler, String reason) {
        synchronized (this) {
            if (closed || handler.connection == null || handler.connection != current) {
                if (handler.connection == null && !closed) {
                    handler.lostEarly = true;
                    retry(); // failed while opening (gRPC fails a stream to a dead edge this way)
                }
                return;
            }
            current = null;
            if (lostAt == null) {
                lostAt = Instant.now();
                lostEdge = handler.edge;
                failures = 0;
            }
            LOG.warn("edge {} went away ({}); reconnecting to the next edge", handler.edge, reason);
            retry();
        }
        listener.onDisconnected(handler.edge, reason);
    }

    private void frame(Handler handler, EventEnvelope frame) {
        if (!frame.hasControl()) {
            synchronized (this) {
                resumePoints.seen(frame, subscriptions.values());
            }
            listener.onEvent(frame);
            return;
        }
        StreamControl control = frame.getControl();
        Failover failover = null;
        synchronized (this) {
            if (handler.connection == current) {
                resumePoints.confirmed(control, frame.getResumeToken(), subscriptions);
                if (retriedWithoutToken(handler.connection, control)) {
                    return;
                }
            }
            boolean answers = control.getType() == StreamControl.Type.SUBSCRIBED || control.getType() == StreamControl.Type.ERROR;
            if (answers && handler.connection == current && unconfirmed.remove(SubscriptionKey.of(control))
                    && unconfirmed.isEmpty()) {
                if (lostAt != null) {
                    failover = new Failover(lostEdge, handler.edge, lostAt, Instant.now(), Math.max(1, failures));
                    lostAt = null;
                }
                failures = 0;
            }
        }
        listener.onControl(control);
        if (failover != null) {
            LOG.info("failed over from edge {} to {}: every subscription confirmed {} ms after the loss", failover.from(),
                    failover.to(), failover.gap().toMillis());
            listener.onFailover(failover);
        }
    }

    /**
     * A non-durable subscription whose token the edge refused (too old, or an edge that does not
     * count failover gaps) is sent again without it: it restarts live instead of not at all.
     */
    private boolean retriedWithoutToken(EdgeConnection connection, StreamControl control) {
        SubscriptionRequest subscription = subscriptions.get(SubscriptionKey.of(control));
        if (control.getType() != StreamControl.Type.ERROR || subscription == null || ResumePoints.isDurable(subscription)
                || !"INVALID_RESUME_TOKEN".equals(control.getErrorCode())) {
            return false;
        }
        LOG.warn("edge refused the resume token of {}: {}; subscribing again without it (the gap is not counted)",
                subscription.getTopicPattern(), control.getMessage());
        resumePoints.forget(SubscriptionKey.of(subscription));
        connection.send(subscription);
        return true;
    }

    /** Ends the stream and stops reconnecting. */
    @Override
    public void close() {
        EdgeConnection connection;
        synchronized (this) {
            closed = true;
            connection = current;
            current = null;
        }
        if (connection != null) {
            connection.close();
        }
        reconnects.shutdownNow();
        connector.close();
    }

    /** One connection's frames and end. */
    private final class Handler implements EdgeConnection.Handler {
        private final String edge;
        private volatile EdgeConnection connection;
        /** Lost before the connection was handed over (guarded by the subscriber). */
        private boolean lostEarly;

        Handler(String edge) {
            this.edge = edge;
        }

        @Override
        public void onFrame(EventEnvelope frame) {
            frame(this, frame);
        }

        @Override
        public void onLost(String reason) {
            lost(this, reason);
        }
    }

    /** Settings of a {@link FailoverSubscriber}. */
    public static final class Builder {
        private final List<String> edges;
        private final boolean grpc;
        private final Map<SubscriptionKey, SubscriptionRequest> subscriptions = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Backoff backoff = Backoff.DEFAULT;
        private HttpClient http;
        private Function<String, ManagedChannel> channels = target -> ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        private Duration connectTimeout = Duration.ofSeconds(1);
        private java.util.function.Supplier<EdgeConnection.Connector> connector;

        private Builder(List<String> edges, boolean grpc) {
            Objects.requireNonNull(edges, "edges");
            if (edges.isEmpty() || edges.stream().anyMatch(e -> e == null || e.isBlank())) {
                throw new IllegalArgumentException("a failover subscriber needs at least one edge address, and no blank one");
            }
            this.edges = new ArrayList<>(edges);
            this.grpc = grpc;
        }

        /** A subscription to hold (action SUBSCRIBE); for a durable one, any resume token given is the first start point. */
        public Builder subscribe(SubscriptionRequest request) {
            SubscriptionRequest subscribe = checked(request);
            subscriptions.put(SubscriptionKey.of(subscribe), subscribe);
            return this;
        }

        /** Sent with every connection: a WebSocket upgrade header, or gRPC metadata (e.g. {@code authorization}). */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** How long to wait between rounds of failed attempts (default {@link Backoff#DEFAULT}). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** WebSocket: the client to connect with (e.g. one with an SSLContext for {@code wss://}). */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /** WebSocket: how long one connection attempt may take (default 1 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** gRPC: makes the channel for a target (default plaintext; pass one with TLS for {@code --secure} edges). */
        public Builder grpcChannels(Function<String, ManagedChannel> factory) {
            this.channels = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Connects to the first edge and keeps the stream up until {@link FailoverSubscriber#close()}. */
        public FailoverSubscriber start(FailoverListener listener) {
            connector = grpc ? () -> new GrpcConnector(channels, headers, edges)
                    : () -> new WebSocketConnector(http != null ? http : HttpClient.newHttpClient(), headers, connectTimeout);
            FailoverSubscriber subscriber = new FailoverSubscriber(this, listener);
            subscriber.begin();
            return subscriber;
        }

        private static SubscriptionRequest checked(SubscriptionRequest request) {
            Objects.requireNonNull(request, "request");
            if (request.getAction() != SubscriptionRequest.Action.SUBSCRIBE || request.getTopicPattern().isBlank()) {
                throw new IllegalArgumentException("a held subscription is a SUBSCRIBE with a topic_pattern, got " + request);
            }
            return request;
        }
    }
}
