package io.meshwork.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.StreamClient;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two router instances in us-east-1 (the embedded mesh's, and a second with the same application
 * id): they share the region's partitions, route by interest and link states whichever instance
 * took them in, and report the arrival progress of every partition (a second instance in this
 * JVM, with two stream threads); and when a second instance run as its own process
 * ({@code mesh router}) is killed (kill -9: no commit, no leaving the group) mid-stream, the
 * other takes its partitions over, and events published in us-east-1 (subscribers in the other
 * two regions) and in ap-southeast-1 (a subscriber in us-east-1) all arrive exactly once, in
 * order per key.
 */
@Tag("integration")
@Timeout(600)
class RouterScaleOutIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(RouterScaleOutIntegrationTest.class);
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final int RATE = 200;
    /** Enough keys that every partition of mesh.events carries some. */
    private static final int KEYS = 24;
    private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(120);

    @RegisterExtension
    static final DrillMesh drills = new DrillMesh();

    @Test
    void bothInstancesGetPartitionsAndRouteWhatTheOtherInstanceTookIn() throws Exception {
        String outbound = DrillMesh.unique("scaleout", "share-out");
        String inbound = DrillMesh.unique("scaleout", "share-in");
        Path stateDir = drills.stateDir();
        // A second instance in this JVM with two stream threads: three group members in all.
        RouterConfig config = new RouterConfig(US, drills.mesh().region(US).bootstrapServers(), drills.mesh().topology().neighbours(US),
                drills.mesh().topology().links(), 1, stateDir, Duration.ofMillis(500)).withNumStreamThreads(2);
        try (NeighbourView neighbours = NeighbourView.watch(drills.mesh(), US, List.of(EU, AP));
             MeshRouter second = MeshRouter.start(config, Duration.ofSeconds(90));
             StreamClient asia = drills.subscriber(AP, outbound); StreamClient europe = drills.subscriber(EU, outbound);
             StreamClient america = drills.subscriber(US, inbound)) {
            MeshRouter first = drills.mesh().router(US);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> groupAssignment().size() == 3 && !first.assignedPartitions().isEmpty()
                            && !second.assignedPartitions().isEmpty());
            Set<TopicPartition> mine = first.assignedPartitions();
            Set<TopicPartition> theirs = second.assignedPartitions();
            LOG.info("us-east-1 routers: the mesh's runs {}, the second (2 threads) {}", sorted(mine), sorted(theirs));
            // Every mesh.events partition is routed by exactly one of the two.
            assertThat(union(partitionsOf(mine, MeshKafkaTopics.EVENTS), partitionsOf(theirs, MeshKafkaTopics.EVENTS)))
                    .containsExactlyInAnyOrderElementsOf(allEventPartitions());
            assertThat(partitionsOf(mine, MeshKafkaTopics.EVENTS)).doesNotContainAnyElementsOf(partitionsOf(theirs, MeshKafkaTopics.EVENTS));
            // Interest and link states reach the region through one task (the neighbours' routes
            // topics), but every instance routes by them: each has the whole mesh's in its global store.
            TopicPartition apRoutes = new TopicPartition(MeshKafkaTopics.remoteRoutes(AP), 0);
            Set<TopicPartition> routesOwner = mine.contains(apRoutes) ? mine : theirs;
            Set<TopicPartition> other = routesOwner == mine ? theirs : mine;
            assertThat(partitionsOf(other, MeshKafkaTopics.EVENTS)).as("the instance without the routes task routes events").isNotEmpty();
            assertThat(partitionsOf(routesOwner, MeshKafkaTopics.arrivals(AP, US))).as("arrivals the routes task's instance does not process")
                    .hasSizeLessThan(allEventPartitions().size());
            assertThat(first.regionsWanting(outbound + "/0")).contains(AP, EU);
            assertThat(second.regionsWanting(outbound + "/0")).contains(AP, EU);

            Map<Integer, Long> spoolBefore = spoolEnds(AP, US);
            try (NumberedStream out = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), outbound, KEYS, RATE);
                 NumberedStream in = NumberedStream.start(drills.mesh().region(AP).bootstrapServers(), inbound, KEYS, RATE / 2)) {
                await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
                int publishedOut = out.stop();
                int publishedIn = in.stop();
                Deliveries.awaitEveryEventOnceInOrder(List.of(asia, europe), outbound, publishedOut, KEYS, DELIVERED_WITHIN);
                Deliveries.awaitEveryEventOnceInOrder(List.of(america), inbound, publishedIn, KEYS, DELIVERED_WITHIN);
            }
            // The region's link state (sent by the instance with the routes task) reports how far
            // each partition of ap-southeast-1's spool was processed, by either instance. (Only
            // partitions the stream used: a busy host may have sent some of it through eu-west-1.)
            Map<Integer, Long> spoolAfter = spoolEnds(AP, US);
            Set<Integer> used = spoolBefore.keySet().stream().filter(p -> spoolAfter.get(p) > spoolBefore.get(p)).collect(Collectors.toSet());
            LOG.info("ap-southeast-1's spool towards us-east-1: {} before, {} after", spoolBefore, spoolAfter);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                Map<Integer, Long> reported = drills.mesh().router(AP).linkStateOf(US).map(state -> state.receivedFrom(AP)).orElse(Map.of());
                used.forEach(partition -> assertThat(reported.getOrDefault(partition, -1L))
                        .as("progress on spool partition %d", partition).isGreaterThanOrEqualTo(spoolBefore.get(partition)));
            });
            assertThat(neighbours.silences()).as("neighbours taking their link to us-east-1 as down while a router joined").isEmpty();
        }
    }

    @Test
    void aSecondInstanceKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        String outbound = DrillMesh.unique("scaleout", "kill-out");
        String inbound = DrillMesh.unique("scaleout", "kill-in");
        Process second = drills.routerProcess(US, drills.stateDir());
        try (StreamClient asia = drills.subscriber(AP, outbound); StreamClient europe = drills.subscriber(EU, outbound);
             StreamClient america = drills.subscriber(US, inbound);
             NeighbourView neighbours = NeighbourView.watch(drills.mesh(), US, List.of(EU, AP))) {
            awaitBothInstancesAssigned();
            try (NumberedStream out = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), outbound, KEYS, RATE);
                 NumberedStream in = NumberedStream.start(drills.mesh().region(AP).bootstrapServers(), inbound, KEYS, RATE / 2)) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Deliveries.of(asia.events(), outbound).total() >= RATE
                                && Deliveries.of(america.events(), inbound).total() >= RATE / 2);
                await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: no commit, no leaving the group
                long killed = System.nanoTime();
                // The survivor takes every partition once the dead member's session expires.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> partitionsOf(drills.mesh().router(US).assignedPartitions(), MeshKafkaTopics.EVENTS).containsAll(allEventPartitions())
                                && partitionsOf(drills.mesh().router(US).assignedPartitions(), MeshKafkaTopics.arrivals(AP, US))
                                        .containsAll(allEventPartitions()));
                long tookOver = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                int atTakeOver = Deliveries.of(asia.events(), outbound).total();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Deliveries.of(asia.events(), outbound).total() > atTakeOver + RATE);
                await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
                int publishedOut = out.stop();
                int publishedIn = in.stop();
                Deliveries.awaitEveryEventOnceInOrder(List.of(asia, europe), outbound, publishedOut, KEYS, DELIVERED_WITHIN);
                Deliveries.awaitEveryEventOnceInOrder(List.of(america), inbound, publishedIn, KEYS, DELIVERED_WITHIN);
                LOG.info("DRILL kill -9 one of two us-east-1 routers under {} ev/s out and {} ev/s in: the other owned every partition "
                        + "{} ms later; {} events out, each delivered once and in order in two regions, {} in, each once and in order",
                        RATE, RATE / 2, tookOver, publishedOut, publishedIn);
                // Every instance beats (RouterBeacon), so the neighbours kept hearing us-east-1 while the
                // dead instance's tasks, perhaps the one sending its link state, waited for a new owner.
                assertThat(neighbours.silences()).as("neighbours taking their link to us-east-1 as down during the handover").isEmpty();
            }
        } finally {
            second.destroyForcibly();
        }
    }

    /** Waits until the region's router group has two members, each assigned partitions; returns each member's. */
    private static Map<String, Set<TopicPartition>> awaitBothInstancesAssigned() {
        AtomicReference<Map<String, Set<TopicPartition>>> members = new AtomicReference<>(Map.of());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            members.set(groupAssignment());
            return members.get().size() == 2 && members.get().values().stream().noneMatch(Set::isEmpty)
                    && members.get().containsValue(drills.mesh().router(US).assignedPartitions());
        });
        return members.get();
    }

    private static Map<String, Set<TopicPartition>> groupAssignment() throws Exception {
        String group = "meshwork-router-" + US;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, drills.mesh().region(US).bootstrapServers()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS);
            return description.members().stream().collect(Collectors.toMap(MemberDescription::consumerId,
                    member -> Set.copyOf(member.assignment().topicPartitions())));
        }
    }

    private static Set<Integer> partitionsOf(Set<TopicPartition> assigned, String topic) {
        return assigned.stream().filter(p -> p.topic().equals(topic)).map(TopicPartition::partition).collect(Collectors.toSet());
    }

    /** End offsets of {@code from}'s spool towards {@code to}, per partition. */
    private static Map<Integer, Long> spoolEnds(String from, String to) throws Exception {
        String spool = MeshKafkaTopics.link(to);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, drills.mesh().region(from).bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = allEventPartitions().stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(spool, p), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(entry -> entry.getKey().partition(), entry -> entry.getValue().offset()));
        }
    }

    private static Set<Integer> allEventPartitions() {
        return IntStream.range(0, io.meshwork.core.kafka.TopicContract.EVENT_PARTITIONS).boxed().collect(Collectors.toSet());
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> both = new HashSet<>(a);
        both.addAll(b);
        return both;
    }

    private static List<String> sorted(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().toList();
    }
}
