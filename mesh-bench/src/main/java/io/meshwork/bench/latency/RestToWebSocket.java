package io.meshwork.bench.latency;

import io.meshwork.bench.harness.Delivery;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.WsSubscriber;
import io.meshwork.launcher.RegionEndpoints;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * REST publish (binary mode CloudEvents, Jetty's asynchronous {@link HttpClient}) → WebSocket
 * subscriber, one region.
 *
 * <p>The publishing client matters on 2 cores: {@code java.net.http} spent about 0.7 ms of CPU per
 * request here (and starts a thread per completed {@code sendAsync} when the common pool has one
 * thread), more than the edge itself, so it measured the client. Jetty's client costs a fraction.
 */
final class RestToWebSocket implements LatencyPath {

    /**
     * Connections at most: HTTP/1.1 carries one request per connection at a time. Requests beyond
     * them wait in the client's queue; their latency still counts from the time they were scheduled.
     */
    static final int CONNECTIONS = 64;

    private final RegionEndpoints subscribeAt;
    private final String topic = "bench/latency/ws/" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http;
    private final AtomicLong failures = new AtomicLong();
    private final String publishUri;
    private final SslContextFactory.Client publishTls;
    private final SslContextFactory.Client subscribeTls;
    private WebSocketClient webSocketClient;
    private WsSubscriber subscriber;

    RestToWebSocket(RegionEndpoints region) {
        this(region, null);
    }

    /** Over https and wss when {@code tls} (the client's trust) is given; the region's endpoints must then be TLS ones. */
    RestToWebSocket(RegionEndpoints region, SslContextFactory.Client tls) {
        this(region, tls, region, tls);
    }

    /**
     * Publishing to one edge and subscribing at another of the same region (both read the same
     * {@code mesh.events}), each over TLS when its trust is given: it splits TLS's cost between the
     * publish and the delivery side.
     */
    RestToWebSocket(RegionEndpoints publishTo, SslContextFactory.Client publishTls, RegionEndpoints subscribeAt,
            SslContextFactory.Client subscribeTls) {
        this.subscribeAt = subscribeAt;
        this.publishTls = publishTls;
        this.subscribeTls = subscribeTls;
        this.http = publishTls == null ? new HttpClient() : new HttpClient(new HttpClientTransportOverHTTP(connector(publishTls)));
        this.publishUri = publishTo.httpUrl() + "/v1/events/publish";
        http.setMaxConnectionsPerDestination(CONNECTIONS);
        http.setMaxRequestsQueuedPerDestination(1_000_000);
    }

    @Override
    public String name() {
        return (publishTls == null ? "REST" : "https") + " -> " + (subscribeTls == null ? "WebSocket" : "wss") + " (" + CONNECTIONS
                + " connections)";
    }

    /** The pattern its subscriber subscribes to, for another subscriber beside it. */
    String topicPattern() {
        return topic + "/#";
    }

    @Override
    public void open(LatencyRecorder recorder) throws Exception {
        http.start();
        Delivery delivery = (t, published, received) -> {
            if (published >= 0) {
                recorder.record(published, received);
            }
        };
        if (subscribeTls == null) {
            subscriber = WsSubscriber.connect(subscribeAt.streamUrl(), delivery);
        } else {
            webSocketClient = new WebSocketClient(new HttpClient(new HttpClientTransportOverHTTP(connector(subscribeTls))));
            webSocketClient.start();
            subscriber = WsSubscriber.connect(webSocketClient, subscribeAt.streamUrl(), delivery);
        }
        subscriber.subscribe(topicPattern(), "SUBSCRIBED", Duration.ofSeconds(30));
    }

    private static ClientConnector connector(SslContextFactory.Client tls) {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        return connector;
    }

    @Override
    public void publish(long sequence, long scheduledNanos, int size) {
        http.newRequest(publishUri)
                .method(HttpMethod.POST)
                .headers(headers -> headers
                        .put("ce-specversion", "1.0")
                        .put("ce-type", "bench.event")
                        .put("ce-source", "/bench")
                        .put("ce-id", topic + "-" + sequence)
                        .put("ce-meshtopic", topic + "/e"))
                .body(new BytesRequestContent("application/json", Payloads.timed(scheduledNanos, sequence, size)))
                .send(result -> {
                    if (result.isFailed() || result.getResponse().getStatus() != 202) {
                        failures.incrementAndGet();
                    }
                });
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() throws Exception {
        try {
            if (subscriber != null) {
                subscriber.close();
            }
        } finally {
            http.stop();
            if (webSocketClient != null) {
                webSocketClient.stop();
            }
        }
    }
}
