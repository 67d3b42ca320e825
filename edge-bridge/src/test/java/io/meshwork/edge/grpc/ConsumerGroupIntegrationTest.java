package io.meshwork.edge.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consumer groups ({@code group}, DESIGN.md 2.6) on one edge over a real embedded Kafka, with real
 * clients: Jetty WebSocket clients and grpc-java stubs as members of the same groups.
 */
@Tag("integration")
@Timeout(120)
class ConsumerGroupIntegrationTest {

    private static final String REGION = "eu-west-1";
    private static final int LAG_FRAMES = 8;

    private static EdgeOnKafka fixture;
    private static Publisher publisher;
    private static ManagedChannel channel;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start(REGION, config -> config.withGrpc(0).withGroupLagFrames(LAG_FRAMES));
        publisher = fixture.publisher;
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext().build();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (channel != null) {
            channel.shutdownNow();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int grpcPort() {
        return fixture.edge.port("gRPC").orElseThrow();
    }

    private static String newId() {
        return "evt-" + UUID.randomUUID();
    }

    private static SubscriptionRequest join(String pattern, String group) {
        return GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, pattern).toBuilder().setGroup(group).build();
    }

    private static void join(GrpcStreamClient member, String pattern, String group) {
        member.send(join(pattern, group));
        member.awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    private static void join(StreamClient member, String pattern, String group) throws Exception {
        member.send("{\"clientId\":\"ws\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\",\"group\":\"" + group + "\"}");
        member.awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    private static void publish(String topic, String id, String partitionKey) throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-type", "test.job", "ce-source", "/tests", "ce-id", id, "ce-meshtopic", topic));
        if (partitionKey != null) {
            headers.put("ce-partitionkey", partitionKey);
        }
        assertThat(publisher.publish(headers, "{}".getBytes(StandardCharsets.UTF_8), "").statusCode()).isEqualTo(202);
    }

    private static List<String> ids(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::getEventId).toList();
    }

    private static String publishLarge(String topic) {
        String id = newId();
        PublishServiceGrpc.newBlockingStub(channel).publish(PublishRequest.newBuilder().setEventId(id).setType("tick")
                .setSource("/tests").setTopic(topic).setPayloadBytes(ByteString.copyFrom(new byte[4096])).build());
        return id;
    }

    /** Publishes 4 KiB events until one skips a lagging member (the group's rerouted count rises). */
    private static void publishUntilRerouted(Counter rerouted, String topic) {
        double before = rerouted.count();
        for (int i = 0; i < 2000 && rerouted.count() == before; i++) {
            publishLarge(topic);
        }
    }

    private static Counter groupCounter(String name, String group, String pattern) {
        return MeshMetrics.registry().counter(name, "region", REGION, "group", group, "pattern", pattern, "selector", "");
    }

    @Test
    void eachEventGoesToExactlyOneMemberOfAGroupOfWebSocketAndGrpcMembers() throws Exception {
        try (StreamClient ws1 = StreamClient.connect(fixture.streamUrl);
             StreamClient ws2 = StreamClient.connect(fixture.streamUrl);
             GrpcStreamClient grpc = GrpcStreamClient.open(channel);
             StreamClient everything = StreamClient.connect(fixture.streamUrl)) {
            join(ws1, "jobs/a/#", "workers");
            join(ws2, "jobs/a/#", "workers");
            join(grpc, "jobs/a/#", "workers");
            everything.subscribe("jobs/a/#"); // not in the group: gets every event, beside the group
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String id = newId();
                publish("jobs/a/" + (i % 4), id, null);
                published.add(id);
            }

            Supplier<List<String>> received = () -> Stream.of(ids(ws1.events()), ids(ws2.events()), ids(grpc.events()))
                    .flatMap(List::stream).toList();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.get().size() >= published.size());
            assertThat(received.get()).as("union of the members, each event once").containsExactlyInAnyOrderElementsOf(published);
            assertThat(List.of(ws1.events(), ws2.events(), grpc.events())).as("every member takes a share")
                    .allSatisfy(events -> assertThat(events).isNotEmpty());
            // Four topics, so four Kafka keys: no order between them.
            await().atMost(Duration.ofSeconds(20)).until(() -> everything.events().size() >= published.size());
            assertThat(ids(everything.events())).containsExactlyInAnyOrderElementsOf(published);
        }
    }

    @Test
    void eventsOfOnePartitionKeyGoToOneMemberInOrder() throws Exception {
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl);
             GrpcStreamClient grpc1 = GrpcStreamClient.open(channel);
             GrpcStreamClient grpc2 = GrpcStreamClient.open(channel)) {
            join(ws, "orders/#", "order-workers");
            join(grpc1, "orders/#", "order-workers");
            join(grpc2, "orders/#", "order-workers");
            Map<String, List<String>> byKey = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                String key = "customer-" + (i % 6);
                String id = newId();
                publish("orders/created", id, key);
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(ws.events(), grpc1.events(), grpc2.events())
                    .mapToInt(List::size).sum() >= 60);
            List<List<EventEnvelope>> members = List.of(ws.events(), grpc1.events(), grpc2.events());
            byKey.forEach((key, published) -> {
                List<List<String>> holders = members.stream()
                        .map(events -> events.stream().filter(e -> key.equals(e.getHeadersMap().get("partitionkey")))
                                .map(EventEnvelope::getEventId).toList())
                        .filter(ofKey -> !ofKey.isEmpty()).toList();
                assertThat(holders).as("members that got events of %s", key).hasSize(1);
                assertThat(holders.get(0)).as("events of %s, in publish order", key).containsExactlyElementsOf(published);
            });
        }
    }

    @Test
    void aMemberThatStopsReadingGetsNoNewEventsWhileTheOthersTakeThem() throws Exception {
        Counter rerouted = groupCounter("mesh.edge.group.rerouted", "lag-workers", "ticks/#");
        // A small receive window, so that the edge's queue, not the HTTP/2 buffers, fills up.
        ManagedChannel slowChannel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext()
                .flowControlWindow(64 * 1024).build();
        try (GrpcStreamClient slow = GrpcStreamClient.openWithManualFlowControl(slowChannel);
             GrpcStreamClient fast = GrpcStreamClient.open(channel);
             StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            slow.request(1); // the confirmation, then nothing more
            join(slow, "ticks/#", "lag-workers");
            join(fast, "ticks/#", "lag-workers");
            join(ws, "ticks/#", "lag-workers");
            publishUntilRerouted(rerouted, "ticks/t");
            assertThat(rerouted.count()).as("events the stalled member's keys gave to others").isPositive();

            List<String> after = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 50; i++) {
                after.add(publishLarge("ticks/t"));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                    Stream.concat(ids(fast.events()).stream(), ids(ws.events()).stream()).toList()).containsAll(after));

            slow.request(Integer.MAX_VALUE); // reads again: what it was handed before it lagged, nothing since
            int handed = slow.events().size();
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> slow.events().size() > handed);
            assertThat(ids(slow.events())).doesNotContainAnyElementsOf(after);
        } finally {
            slowChannel.shutdownNow();
        }
    }

    @Test
    void whenAMemberDisconnectsTheOthersTakeOverItsKeysWithinOneSecond() throws Exception {
        Counter left = groupCounter("mesh.edge.group.left", "leave-workers", "leave/#");
        try (StreamClient leaving = StreamClient.connect(fixture.streamUrl);
             GrpcStreamClient grpc = GrpcStreamClient.open(channel);
             StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            join(leaving, "leave/#", "leave-workers");
            join(grpc, "leave/#", "leave-workers");
            join(ws, "leave/#", "leave-workers");
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                keys.add("k" + i);
                publish("leave/x", newId(), "k" + i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> leaving.events().size() + grpc.events().size() + ws.events().size() >= 30);
            String keyOfLeaving = leaving.events().get(0).getHeadersMap().get("partitionkey");
            double leftBefore = left.count();

            leaving.close();
            List<String> sinceDisconnect = new CopyOnWriteArrayList<>();
            Set<String> others = new HashSet<>();
            // Publish the departed member's key until another member gets one: the take-over time,
            // measured from the disconnect, including the publish and the delivery.
            await().atMost(Duration.ofSeconds(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                String id = newId();
                publish("leave/x", id, keyOfLeaving);
                sinceDisconnect.add(id);
                others.addAll(ids(grpc.events()));
                others.addAll(ids(ws.events()));
                return sinceDisconnect.stream().anyMatch(others::contains);
            });
            assertThat(left.count()).isEqualTo(leftBefore + 1);
            String last = newId();
            publish("leave/x", last, keyOfLeaving);
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(grpc.events()).contains(last) || ids(ws.events()).contains(last));
        }
    }

    @Test
    void framesLeftUnsentByAMemberWhoseStreamIsKilledAreToldToTheGroupInDroppedBefore() throws Exception {
        Counter rerouted = groupCounter("mesh.edge.group.rerouted", "killed-workers", "killed/#");
        Counter dropped = groupCounter("mesh.edge.group.dropped", "killed-workers", "killed/#");
        ManagedChannel killedChannel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort()).usePlaintext()
                .flowControlWindow(64 * 1024).build();
        try (GrpcStreamClient killed = GrpcStreamClient.openWithManualFlowControl(killedChannel);
             GrpcStreamClient grpc = GrpcStreamClient.open(channel);
             StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            killed.request(1);
            join(killed, "killed/#", "killed-workers");
            join(grpc, "killed/#", "killed-workers");
            join(ws, "killed/#", "killed-workers");
            publishUntilRerouted(rerouted, "killed/t"); // the stalled member now holds unsent frames
            double droppedBefore = dropped.count();

            killedChannel.shutdownNow();
            await().atMost(Duration.ofSeconds(10)).until(() -> dropped.count() > droppedBefore);
            long lost = (long) (dropped.count() - droppedBefore);
            assertThat(lost).as("frames the edge still held for the killed member").isGreaterThanOrEqualTo(LAG_FRAMES);
            String next = publishLarge("killed/t");

            Supplier<List<EventEnvelope>> others = () -> Stream.concat(grpc.events().stream(), ws.events().stream()).toList();
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(others.get()).contains(next));
            // Told once, on the group's first delivery after the loss: normally `next`, unless an
            // event published before the kill was still on its way.
            assertThat(others.get().stream().mapToLong(EventEnvelope::getDroppedBefore).sum())
                    .as("dropped_before over the remaining members' deliveries").isEqualTo(lost);
        } finally {
            killedChannel.shutdownNow();
        }
    }

    @Test
    void aBadGroupNameIsRefusedNamingTheFieldOnWebSocketAndGrpc() throws Exception {
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl);
             GrpcStreamClient grpc = GrpcStreamClient.open(channel)) {
            ws.send("{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"bad/#\",\"group\":\"" + "g".repeat(129) + "\"}");
            StreamControl error = ws.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("INVALID_GROUP");
            assertThat(error.getField()).isEqualTo("group");
            assertThat(ws.isOpen()).isTrue();

            grpc.send(join("bad/#", "no spaces"));
            Status status = grpc.awaitEnd();
            assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(status.getDescription()).startsWith("group");
        }
    }
}
