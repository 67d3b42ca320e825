package io.meshwork.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.MeshProgress;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterConfig;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two router instances in one region, same application id, beside the embedded mesh's router of
 * us-east-1: they share the region's partitions and route by interest whichever instance took it
 * in (a second instance in this JVM, with two stream threads); and when a second instance run as
 * its own process ({@code mesh router}) is killed (kill -9: no commit, no leaving the group)
 * mid-stream, the other takes its partitions over and the subscribers in the other regions still
 * get every event exactly once, in order per key.
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

    private static EmbeddedMesh mesh;
    private static final List<Path> leftovers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), EmbeddedMesh.Ports.EPHEMERAL,
                MeshProgress.SILENT);
    }

    @AfterAll
    static void stopMesh() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        for (Path leftover : leftovers) {
            io.meshwork.embedded.TempDirs.deleteRecursively(leftover);
        }
    }

    @Test
    void bothInstancesGetPartitionsAndRouteInterestThatTheOtherInstanceProcessed() throws Exception {
        String prefix = drill("share");
        Path stateDir = Files.createTempDirectory("meshwork-scaleout-router-");
        leftovers.add(stateDir);
        // A second instance in this JVM with two stream threads: three group members in all.
        RouterConfig config = new RouterConfig(US, mesh.region(US).bootstrapServers(), mesh.topology().neighbours(US),
                mesh.topology().links(), 1, stateDir, Duration.ofMillis(500)).withNumStreamThreads(2);
        try (MeshRouter second = MeshRouter.start(config, Duration.ofSeconds(90));
             StreamClient asia = subscriber(AP, prefix); StreamClient europe = subscriber(EU, prefix)) {
            MeshRouter first = mesh.router(US);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> groupAssignment().size() == 3 && !first.assignedPartitions().isEmpty()
                            && !second.assignedPartitions().isEmpty());
            Set<TopicPartition> mine = first.assignedPartitions();
            Set<TopicPartition> theirs = second.assignedPartitions();
            LOG.info("us-east-1 routers: the mesh's runs {}, the second (2 threads) {}", sorted(mine), sorted(theirs));
            // Every mesh.events partition is routed by exactly one of the two.
            assertThat(union(eventPartitions(mine), eventPartitions(theirs))).containsExactlyInAnyOrderElementsOf(allEventPartitions());
            assertThat(eventPartitions(mine)).doesNotContainAnyElementsOf(eventPartitions(theirs));
            // Interest reaches the region through one task (the neighbours' routes topics), but
            // every instance routes by it: each holds the whole mesh's interest in its global store.
            TopicPartition apRoutes = new TopicPartition(MeshKafkaTopics.remoteRoutes(AP), 0);
            Set<TopicPartition> other = mine.contains(apRoutes) ? theirs : mine;
            assertThat(eventPartitions(other)).as("the instance that did not take the interest in routes events too").isNotEmpty();
            assertThat(first.regionsWanting(prefix + "/0")).contains(AP, EU);
            assertThat(second.regionsWanting(prefix + "/0")).contains(AP, EU);

            try (NumberedStream stream = NumberedStream.start(mesh.region(US).bootstrapServers(), prefix, KEYS, RATE)) {
                await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
                int published = stream.stop();
                Deliveries.awaitEveryEventOnceInOrder(List.of(asia, europe), prefix, published, KEYS, DELIVERED_WITHIN);
            }
        }
    }

    @Test
    void aSecondInstanceKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
        String prefix = drill("kill");
        Process second = startRouterProcess(US);
        try (StreamClient asia = subscriber(AP, prefix); StreamClient europe = subscriber(EU, prefix)) {
            awaitBothInstancesAssigned();
            try (NumberedStream stream = NumberedStream.start(mesh.region(US).bootstrapServers(), prefix, KEYS, RATE)) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Deliveries.of(asia.events(), prefix).total() >= RATE);
                await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
                second.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: no commit, no leaving the group
                long killed = System.nanoTime();
                // The survivor takes every partition once the dead member's session expires.
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> eventPartitions(mesh.router(US).assignedPartitions()).containsAll(allEventPartitions()));
                long tookOver = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                int atTakeOver = Deliveries.of(asia.events(), prefix).total();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> Deliveries.of(asia.events(), prefix).total() > atTakeOver + RATE);
                await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
                int published = stream.stop();
                Deliveries.awaitEveryEventOnceInOrder(List.of(asia, europe), prefix, published, KEYS, DELIVERED_WITHIN);
                LOG.info("DRILL kill -9 one of two us-east-1 routers under {} ev/s: the other owned every partition {} ms later; "
                        + "{} events, each delivered once and in order in two regions", RATE, tookOver, published);
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
                    && members.get().containsValue(mesh.router(US).assignedPartitions());
        });
        return members.get();
    }

    private static Map<String, Set<TopicPartition>> groupAssignment() throws Exception {
        String group = "meshwork-router-" + US;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.region(US).bootstrapServers()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(10, TimeUnit.SECONDS);
            return description.members().stream().collect(Collectors.toMap(MemberDescription::consumerId,
                    member -> Set.copyOf(member.assignment().topicPartitions())));
        }
    }

    private static Set<Integer> eventPartitions(Set<TopicPartition> assigned) {
        return assigned.stream().filter(p -> p.topic().equals(MeshKafkaTopics.EVENTS)).map(TopicPartition::partition)
                .collect(Collectors.toSet());
    }

    private static Set<Integer> allEventPartitions() {
        return IntStream.range(0, io.meshwork.launcher.internal.ContractTopics.EVENT_PARTITIONS).boxed().collect(Collectors.toSet());
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> both = new HashSet<>(a);
        both.addAll(b);
        return both;
    }

    private static List<String> sorted(Set<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().toList();
    }

    private static String drill(String name) {
        return "scaleout-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static StreamClient subscriber(String region, String prefix) throws Exception {
        StreamClient client = StreamClient.connect(mesh.region(region).streamUrl());
        client.subscribeMeshWide(prefix + "/#");
        return client;
    }

    /** A second router of {@code region}, as its own JVM on its own state directory, the way an operator adds one. */
    private static Process startRouterProcess(String region) throws Exception {
        Path stateDir = Files.createTempDirectory("meshwork-scaleout-router-");
        leftovers.add(stateDir);
        return RouterProcess.start(region, mesh.region(region).bootstrapServers(), stateDir, leftovers);
    }
}
