package io.meshwork.edge.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StalledStreamClient;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery policies of DESIGN.md 2.6 with real clients that stop reading (a WebSocket client
 * that leaves its socket unread, a gRPC client that requests no more), beside a subscriber that
 * reads, on one edge over a real embedded Kafka. (In this package for the gRPC test client.)
 */
@Tag("integration")
@Timeout(180)
class DeliveryPolicyIntegrationTest {

    private static final String REGION = "eu-west-1";
    private static final long MAX_BYTES = 512 * 1024;
    // Large events fill the socket buffers between edge and client in a few hundred publishes.
    private static final String BODY = "{\"pad\":\"" + "x".repeat(32 * 1024) + "\"}";
    private static final int MAX_PUBLISHES = 2000;

    private static EdgeOnKafka fixture;
    private static ManagedChannel stalledChannel;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0)
                .withSubscriberQueue(new SubscriberQueueSettings(1000, MAX_BYTES, Duration.ofSeconds(30))));
        // A small receive window, so that the edge's queue, not the HTTP/2 buffers, fills up.
        stalledChannel = NettyChannelBuilder.forAddress("127.0.0.1", fixture.edge.port("gRPC").orElseThrow()).usePlaintext()
                .flowControlWindow(64 * 1024).build();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (stalledChannel != null) {
            stalledChannel.shutdownNow();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Counter dropped(String protocol, String policy) {
        return MeshMetrics.registry().counter("mesh.edge.subscriber.dropped", "region", REGION, "protocol", protocol, "policy", policy);
    }

    private static Counter disconnected(String protocol) {
        return MeshMetrics.registry().counter("mesh.edge.subscriber.disconnected", "region", REGION, "protocol", protocol);
    }

    private static double queueBytesMax(String protocol) {
        return MeshMetrics.registry().get("mesh.edge.subscriber.queue.bytes.max").tags("region", REGION, "protocol", protocol)
                .gauge().value();
    }

    /**
     * Publishes on {@code topics} in turn until {@code enough} holds (checked after each publish),
     * then {@code extra} more; every event is awaited by {@code reader} first when given.
     */
    private static List<String> publishUntil(String[] topics, BooleanSupplier enough, int extra, StreamClient reader,
                                             String protocol) throws Exception {
        List<String> ids = new ArrayList<>();
        int after = -1;
        for (int i = 0; i < MAX_PUBLISHES && after < extra; i++) {
            String id = "evt-" + i + "-" + UUID.randomUUID();
            assertThat(fixture.publisher.publishOn(topics[i % topics.length], id, BODY).statusCode()).isEqualTo(202);
            ids.add(id);
            if (reader != null) {
                reader.awaitEvent(id);
            }
            assertThat(queueBytesMax(protocol)).as("the fullest connection's queue").isLessThanOrEqualTo(MAX_BYTES);
            if (after >= 0 || enough.getAsBoolean()) {
                after++;
            }
        }
        assertThat(after).as("the condition held within " + MAX_PUBLISHES + " publishes").isGreaterThanOrEqualTo(0);
        return ids;
    }

    private static long droppedBefore(List<EventEnvelope> events) {
        return events.stream().mapToLong(EventEnvelope::getDroppedBefore).sum();
    }

    private static List<String> ids(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::getEventId).toList();
    }

    @Test
    void webSocketDropOldestLosesTheOldestTellsDroppedBeforeAndAFastSubscriberGetsEverything() throws Exception {
        Counter dropped = dropped("websocket", "drop-oldest");
        double before = dropped.count();
        try (StalledStreamClient stalled = StalledStreamClient.connect(fixture.streamUrl);
             StreamClient fast = StreamClient.connect(fixture.streamUrl)) {
            stalled.subscribe("ws-drop/#", "drop-oldest");
            fast.subscribe("ws-drop/#");
            stalled.stall();

            List<String> ids = publishUntil(new String[] {"ws-drop/a"}, () -> dropped.count() > before, 5, fast, "websocket");

            assertThat(ids(fast.events())).containsExactlyElementsOf(ids);
            stalled.resume();
            stalled.awaitFrame(f -> f.getEventId().equals(ids.get(ids.size() - 1)));
            List<EventEnvelope> received = stalled.events();
            assertThat(received.size()).isLessThan(ids.size());
            assertThat(ids(received)).isSubsetOf(ids).endsWith(ids.subList(ids.size() - 5, ids.size()).toArray(String[]::new));
            assertThat(droppedBefore(received)).isEqualTo(ids.size() - received.size()).isEqualTo((long) (dropped.count() - before));
            assertThat(stalled.frames()).noneMatch(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.DISCONNECTED);
        }
    }

    @Test
    void webSocketConflateDeliversTheLatestEventOfEachTopic() throws Exception {
        Counter dropped = dropped("websocket", "conflate");
        double before = dropped.count();
        try (StalledStreamClient stalled = StalledStreamClient.connect(fixture.streamUrl)) {
            stalled.subscribe("ws-conflate/#", "conflate");
            stalled.stall();

            String[] topics = {"ws-conflate/a", "ws-conflate/b"};
            List<String> ids = publishUntil(topics, () -> dropped.count() > before + 10, 1, null, "websocket");

            // Publishes alternate between the topics, starting with a.
            String lastA = ids.get((ids.size() - 1) / 2 * 2);
            String lastB = ids.get(ids.size() / 2 * 2 - 1);
            stalled.resume();
            stalled.awaitFrame(f -> f.getEventId().equals(lastB));
            stalled.awaitFrame(f -> f.getEventId().equals(lastA));
            List<EventEnvelope> received = stalled.events();
            assertThat(received.size()).isLessThan(ids.size());
            assertThat(received.stream().filter(e -> e.getTopic().equals("ws-conflate/a")).reduce((x, y) -> y).orElseThrow()
                    .getEventId()).isEqualTo(lastA);
            assertThat(received.stream().filter(e -> e.getTopic().equals("ws-conflate/b")).reduce((x, y) -> y).orElseThrow()
                    .getEventId()).isEqualTo(lastB);
            assertThat(droppedBefore(received)).isEqualTo(ids.size() - received.size());
        }
    }

    @Test
    void webSocketDisconnectSendsDisconnectedThenCloses1008WithTheReason() throws Exception {
        Counter disconnected = disconnected("websocket");
        double before = disconnected.count();
        try (StalledStreamClient stalled = StalledStreamClient.connect(fixture.streamUrl);
             StreamClient fast = StreamClient.connect(fixture.streamUrl)) {
            stalled.subscribe("ws-disconnect/#", "disconnect");
            fast.subscribe("ws-disconnect/#");
            stalled.stall();

            List<String> ids = publishUntil(new String[] {"ws-disconnect/a"}, () -> disconnected.count() > before, 1, fast,
                    "websocket");

            assertThat(ids(fast.events())).containsExactlyElementsOf(ids);
            assertThat(fast.isOpen()).isTrue();
            stalled.resume();
            EventEnvelope frame = stalled.awaitFrame(f -> f.hasControl() && f.getControl().getType() == StreamControl.Type.DISCONNECTED);
            assertThat(frame.getHeadersMap()).containsEntry("mesh-control", "DISCONNECTED");
            assertThat(frame.getControl().getMessage()).startsWith("delivery_policy disconnect: more than " + MAX_BYTES + " bytes pending");
            assertThat(stalled.awaitClose()).isEqualTo(1008);
            assertThat(stalled.closeReason()).isEqualTo(frame.getControl().getMessage());
            // Nothing was dropped: what arrived is a prefix of what was published, without gaps.
            List<String> received = ids(stalled.events());
            assertThat(ids.subList(0, received.size())).isEqualTo(received);
            assertThat(droppedBefore(stalled.events())).isZero();
        }
    }

    private static GrpcStreamClient stalledGrpc(String pattern, String policy) {
        GrpcStreamClient client = GrpcStreamClient.openWithManualFlowControl(stalledChannel);
        client.request(1); // the confirmation, then nothing more
        client.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, pattern).toBuilder()
                .setDeliveryPolicy(policy).build());
        client.awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
        return client;
    }

    @Test
    void grpcDropOldestLosesTheOldestAndTellsDroppedBefore() throws Exception {
        Counter dropped = dropped("grpc", "drop-oldest");
        double before = dropped.count();
        try (GrpcStreamClient stalled = stalledGrpc("grpc-drop/#", "drop-oldest");
             StreamClient fast = StreamClient.connect(fixture.streamUrl)) {
            fast.subscribe("grpc-drop/#");

            List<String> ids = publishUntil(new String[] {"grpc-drop/a"}, () -> dropped.count() > before, 3, fast, "grpc");

            stalled.request(Integer.MAX_VALUE);
            stalled.awaitEvent(ids.get(ids.size() - 1));
            List<EventEnvelope> received = stalled.events();
            assertThat(received.size()).isLessThan(ids.size());
            assertThat(ids(received)).isSubsetOf(ids).endsWith(ids.subList(ids.size() - 3, ids.size()).toArray(String[]::new));
            assertThat(droppedBefore(received)).isEqualTo(ids.size() - received.size());
        }
    }

    @Test
    void grpcConflateDeliversTheLatestEventOfEachTopic() throws Exception {
        Counter dropped = dropped("grpc", "conflate");
        double before = dropped.count();
        try (GrpcStreamClient stalled = stalledGrpc("grpc-conflate/#", "conflate")) {
            String[] topics = {"grpc-conflate/a", "grpc-conflate/b"};
            List<String> ids = publishUntil(topics, () -> dropped.count() > before + 10, 1, null, "grpc");

            stalled.request(Integer.MAX_VALUE);
            stalled.awaitEvent(ids.get(ids.size() - 1));
            stalled.awaitEvent(ids.get(ids.size() - 2));
            List<EventEnvelope> received = stalled.events();
            assertThat(received.size()).isLessThan(ids.size());
            assertThat(droppedBefore(received)).isEqualTo(ids.size() - received.size());
        }
    }

    @Test
    void grpcDisconnectSendsDisconnectedThenEndsWithResourceExhaustedNamingTheReason() throws Exception {
        Counter disconnected = disconnected("grpc");
        double before = disconnected.count();
        try (GrpcStreamClient stalled = stalledGrpc("grpc-disconnect/#", "disconnect")) {
            List<String> ids = publishUntil(new String[] {"grpc-disconnect/a"}, () -> disconnected.count() > before, 0, null, "grpc");

            stalled.request(Integer.MAX_VALUE);
            Status status = stalled.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription()).startsWith("delivery_policy disconnect on grpc-disconnect/#: more than ");
            List<EventEnvelope> frames = stalled.frames();
            EventEnvelope last = frames.get(frames.size() - 1);
            assertThat(last.getControl().getType()).isEqualTo(StreamControl.Type.DISCONNECTED);
            assertThat(last.getControl().getMessage()).isEqualTo(status.getDescription());
            List<String> received = ids(stalled.events());
            assertThat(ids.subList(0, received.size())).isEqualTo(received);
        }
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheFieldOnWebSocketAndGrpc() throws Exception {
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            ws.send("{\"clientId\":\"c\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"x/#\",\"deliveryPolicy\":\"newest-only\"}");
            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("INVALID_DELIVERY_POLICY");
            assertThat(error.getField()).isEqualTo("delivery_policy");
            assertThat(error.getMessage()).contains("newest-only").contains("drop-oldest, conflate, disconnect");
        }
        try (GrpcStreamClient grpc = GrpcStreamClient.open(stalledChannel)) {
            grpc.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, "x/#").toBuilder()
                    .setDeliveryPolicy("newest-only").build());
            Status status = grpc.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).startsWith("delivery_policy");
        }
    }
}
