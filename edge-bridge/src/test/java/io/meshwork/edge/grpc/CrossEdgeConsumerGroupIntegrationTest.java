package io.meshwork.edge.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.internal.group.GroupKey;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consumer groups whose members sit on two edges of one region (DESIGN.md 2.6: each event goes to
 * one member of the group, within a region): two edges on one real embedded Kafka, a WebSocket
 * member on edge A and a grpc-java member on edge B. The edges share each group's events through
 * a Kafka consumer group of their own on {@code mesh.events}.
 */
@Tag("integration")
@Timeout(120)
class CrossEdgeConsumerGroupIntegrationTest {

    private static final String REGION = "eu-west-1";

    private static EdgeOnKafka fixture;
    private static EdgeBridge edgeB;
    private static ManagedChannel channelB;
    private static Publisher publisher;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = EdgeOnKafka.start(REGION, config -> config);
        edgeB = EdgeBridge.start(EdgeConfig.defaults(REGION, KafkaClients.of(fixture.kafka.bootstrapServers()))
                .withHttp("127.0.0.1", 0).withGrpc(0));
        channelB = NettyChannelBuilder.forAddress("127.0.0.1", edgeB.port("gRPC").orElseThrow()).usePlaintext().build();
        publisher = fixture.publisher;
        admin = fixture.kafka.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channelB != null) {
            channelB.shutdownNow();
        }
        if (edgeB != null) {
            edgeB.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static void join(StreamClient member, String pattern, String group) throws Exception {
        member.send("{\"clientId\":\"ws\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + pattern + "\",\"group\":\"" + group + "\"}");
        member.awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    private static void join(GrpcStreamClient member, String pattern, String group) {
        member.send(GrpcStreamClient.request(SubscriptionRequest.Action.SUBSCRIBE, pattern).toBuilder().setGroup(group).build());
        member.awaitControl(StreamControl.Type.SUBSCRIBED, pattern);
    }

    /** Publishes {@code count} events on {@code topic}, each with its own partition key, so they spread over the partitions. */
    private static List<String> publish(String topic, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "evt-" + UUID.randomUUID();
            Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                    "ce-type", "test.job", "ce-source", "/tests", "ce-id", id, "ce-meshtopic", topic, "ce-partitionkey", id));
            assertThat(publisher.publish(headers, "{}".getBytes(StandardCharsets.UTF_8), "").statusCode()).isEqualTo(202);
            ids.add(id);
        }
        return ids;
    }

    private static List<String> ids(List<EventEnvelope> events) {
        return events.stream().map(EventEnvelope::getEventId).toList();
    }

    /** The partitions of {@code mesh.events} each member of the Kafka group behind {@code group} holds. */
    private static List<Integer> assignmentSizes(String group, String pattern) throws Exception {
        String groupId = new GroupKey(group, TopicPattern.parse(pattern), "").kafkaGroupId(REGION);
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
        return description.members().stream().map(MemberDescription::assignment)
                .map(assignment -> (int) assignment.topicPartitions().stream()
                        .filter(partition -> partition.topic().equals(MeshKafkaTopics.EVENTS)).count())
                .toList();
    }

    /** Waits until the edges' Kafka group for {@code group} has settled on {@code sizes} partitions per member. */
    private static void awaitAssignment(String group, String pattern, Integer... sizes) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> assignmentSizes(group, pattern).stream().sorted().toList(), List.of(sizes)::equals);
    }

    @Test
    void membersOfOneGroupOnTwoEdgesGetEachEventOnceWhileAnotherGroupGetsThemAll() throws Exception {
        try (StreamClient onA = StreamClient.connect(fixture.streamUrl);
             GrpcStreamClient onB = GrpcStreamClient.open(channelB);
             GrpcStreamClient otherGroup = GrpcStreamClient.open(channelB)) {
            join(onA, "xjobs/#", "workers");
            join(onB, "xjobs/#", "workers");
            join(otherGroup, "xjobs/#", "auditors");
            awaitAssignment("workers", "xjobs/#", 1, 2); // three partitions of mesh.events over two edges

            List<String> published = publish("xjobs/build", 200);

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> onA.events().size() + onB.events().size() >= published.size());
            List<String> received = Stream.of(ids(onA.events()), ids(onB.events())).flatMap(List::stream).toList();
            assertThat(received).as("each event to one member of the group, across both edges")
                    .containsExactlyInAnyOrderElementsOf(published);
            assertThat(onA.events()).as("edge A's member's share").isNotEmpty();
            assertThat(onB.events()).as("edge B's member's share").isNotEmpty();
            await().atMost(Duration.ofSeconds(20)).until(() -> otherGroup.events().size() >= published.size());
            assertThat(ids(otherGroup.events())).as("another group name gets every event")
                    .containsExactlyInAnyOrderElementsOf(published);
        }
    }

    @Test
    void whenEveryMemberOnOneEdgeLeavesTheOtherEdgeTakesEveryLaterEvent() throws Exception {
        try (StreamClient onA = StreamClient.connect(fixture.streamUrl)) {
            GrpcStreamClient onB = GrpcStreamClient.open(channelB);
            join(onA, "handover/#", "takers");
            join(onB, "handover/#", "takers");
            awaitAssignment("takers", "handover/#", 1, 2);
            List<String> before = publish("handover/t", 30);
            await().atMost(Duration.ofSeconds(20)).until(() -> onA.events().size() + onB.events().size() >= before.size());
            assertThat(onB.events()).as("edge B's member's share before it leaves").isNotEmpty();

            long closedAt = System.nanoTime();
            onB.close();
            // Published while edge B leaves the Kafka group: on its partitions until then, taken over from its last commit.
            List<String> during = publish("handover/t", 30);
            awaitAssignment("takers", "handover/#", 3);
            long handoverMs = Duration.ofNanos(System.nanoTime() - closedAt).toMillis();
            List<String> after = publish("handover/t", 30);

            List<String> owed = new ArrayList<>(during);
            owed.addAll(after);
            await().atMost(Duration.ofSeconds(20)).until(() -> ids(onA.events()).containsAll(owed));
            long receivedMs = Duration.ofNanos(System.nanoTime() - closedAt).toMillis();
            System.out.printf("cross-edge group handover after a clean leave: edge A holds every partition %d ms after "
                    + "edge B's last member left, and has every event published meanwhile %d ms after%n", handoverMs, receivedMs);
            List<String> all = new ArrayList<>(ids(onA.events()));
            all.addAll(ids(onB.events()));
            assertThat(all).as("no event twice across the handover").doesNotHaveDuplicates();
            assertThat(all).as("no event lost across the handover").containsAll(before).containsAll(owed);
        }
    }
}
