package io.meshwork.bench.latency;

import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.WsSubscriber;
import io.meshwork.launcher.RegionEndpoints;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/** REST publish ({@code java.net.http}, binary mode CloudEvents) → WebSocket subscriber, one region. */
final class RestToWebSocket implements LatencyPath {

    private static final int MAX_IN_FLIGHT = 256;

    private final RegionEndpoints region;
    private final String topic = "bench/latency/ws/" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong failures = new AtomicLong();
    // HTTP/1.1 carries one request per connection at a time, so java.net.http opens a connection
    // per concurrent request; unbounded, a slow edge makes it open thousands and run the process
    // out of file descriptors. Waiting for a slot delays the send, not the latency's start: each
    // event still carries the time it was scheduled for.
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final URI publishUri;
    private WsSubscriber subscriber;

    RestToWebSocket(RegionEndpoints region) {
        this.region = region;
        this.publishUri = URI.create(region.httpUrl() + "/v1/events/publish");
    }

    @Override
    public String name() {
        return "REST -> WebSocket";
    }

    @Override
    public void open(LatencyRecorder recorder) throws Exception {
        subscriber = WsSubscriber.connect(region.streamUrl(), (t, published, received) -> {
            if (published >= 0) {
                recorder.record(published, received);
            }
        });
        subscriber.subscribe(topic + "/#", "SUBSCRIBED", Duration.ofSeconds(30));
    }

    @Override
    public void publish(long sequence, long scheduledNanos, int size) throws InterruptedException {
        inFlight.acquire();
        HttpRequest request = HttpRequest.newBuilder(publishUri)
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                .header("ce-type", "bench.event")
                .header("ce-source", "/bench")
                .header("ce-id", topic + "-" + sequence)
                .header("ce-meshtopic", topic + "/e")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Payloads.timed(scheduledNanos, sequence, size)))
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            inFlight.release();
            if (error != null || response.statusCode() != 202) {
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
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
