package io.meshwork.launcher.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.config.MeshKeys;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.client.Failover;
import io.meshwork.edge.client.FailoverListener;
import io.meshwork.edge.client.FailoverSubscriber;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.MeshProgress;
import io.meshwork.launcher.internal.EdgeProcess;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.topology.TopologyLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failover drill (issue 15): ap-southeast-1 has three more edges, each its own process; a
 * subscriber in ap-southeast-1 listens through {@link FailoverSubscriber} to events published in
 * us-east-1, and the edge serving it is killed with {@code kill -9} again and again. Each time it
 * must be back on another edge, resubscribed, with its first event, within 1 s, and us-east-1's
 * router must never stop forwarding to ap-southeast-1 (the interest grace period and the killed
 * edge's lease). The 20-kill run for the target is the mesh-bench {@code failover} scenario; here a
 * few kills keep CI time down.
 */
@Tag("integration")
@Timeout(420)
class EdgeFailoverIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeFailoverIntegrationTest.class);
    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";
    private static final Duration TARGET = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration LEASE = Duration.ofSeconds(2);
    /** A killed edge's lease lasts max(lease, grace + lease / 4) after its last renewal: 2.5 s here, and the router checks every 500 ms. */
    private static final Duration LEASE_OUTLIVED = Duration.ofSeconds(4);

    private static EmbeddedMesh mesh;
    private static final List<EdgeProcess.Ports> ports = new ArrayList<>();
    private static final EdgeProcess[] edges = new EdgeProcess[3];

    @TempDir
    static Path dir;
    private static Path topology;

    /** Two regions are enough to see interest across the WAN, and start faster than three. */
    @BeforeAll
    static void startMesh() throws Exception {
        topology = dir.resolve("topology.yaml");
        Files.writeString(topology, """
                mesh: failover-drill
                controlPlane: {port: 8080}
                regions:
                  - name: us-east-1
                    ports: { kafka: 19092, http: 18080, grpc: 18090, mqtt: 11883 }
                  - name: ap-southeast-1
                    ports: { kafka: 39092, http: 38080, grpc: 38090, mqtt: 31883 }
                links:
                  - between: [us-east-1, ap-southeast-1]
                    rttMs: 180
                """);
        mesh = EmbeddedMesh.start(TopologyLoader.load(topology), EmbeddedMesh.Ports.EPHEMERAL, MeshProgress.SILENT);
        for (int i = 0; i < edges.length; i++) {
            ports.add(new EdgeProcess.Ports(freePort(), freePort(), freePort()));
        }
    }

    /**
     * Starts (again) every Asia edge a previous test killed, all together: with three edges a drill
     * of two kills needs no restart while it runs, which keeps the test's time down.
     */
    @BeforeEach
    void everyAsiaEdgeRuns() throws Exception {
        List<Integer> started = new ArrayList<>();
        for (int i = 0; i < edges.length; i++) {
            if (edges[i] == null || !edges[i].isAlive()) {
                edges[i] = startEdge(i);
                started.add(i);
            }
        }
        for (int i : started) {
            edges[i].awaitReady(Duration.ofSeconds(120));
            warmUp(i);
        }
    }

    /**
     * An edge of a serving region has served subscribers before; one that never did pays class
     * loading and its first compilations on the failover's subscription (200 to 900 ms measured on
     * a shared CI machine), which is not what the drill measures. So each started edge serves one
     * WebSocket and one gRPC subscription first.
     */
    private static void warmUp(int index) throws Exception {
        EdgeProcess.Ports edge = ports.get(index);
        for (FailoverSubscriber.Builder builder : List.of(
                FailoverSubscriber.webSocket(List.of("ws://127.0.0.1:" + edge.http() + "/v1/stream")),
                FailoverSubscriber.grpc(List.of("127.0.0.1:" + edge.grpc())))) {
            Recorder recorder = new Recorder();
            try (FailoverSubscriber warming = builder.subscribe(subscription("warm-up/#")).start(recorder)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> recorder.controls.stream()
                        .anyMatch(c -> c.getType() == StreamControl.Type.SUBSCRIBED));
            }
        }
    }

    @AfterAll
    static void stopEverything() {
        for (EdgeProcess edge : edges) {
            if (edge != null) {
                edge.close();
            }
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static EdgeProcess startEdge(int index) {
        return EdgeProcess.start("edge ap#" + (index + 1), AP, mesh.region(AP).bootstrapServers(), "127.0.0.1", ports.get(index),
                topology, Map.of(EdgeKeys.INTEREST_GRACE, GRACE.toMillis() + "ms", EdgeKeys.LEASE_TTL, LEASE.toMillis() + "ms",
                        MeshKeys.STARTUP_CHECK_TIMEOUT, "60s"),
                line -> LOG.debug("{}", line));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static SubscriptionRequest subscription(String pattern) {
        return SubscriptionRequest.newBuilder().setClientId("drill").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern(pattern).build();
    }

    private static SubscriptionRequest durableSubscription(String pattern) {
        return subscription(pattern).toBuilder().setDeliveryPolicy("durable").build();
    }

    @Test
    void webSocketSubscriberIsBackOnAnotherEdgeWithItsFirstEventWithinOneSecondOfEachKill() throws Exception {
        // Two kills of the three edges: each time the subscriber moves on to the next of its list.
        drill("ws", 2, p -> "ws://127.0.0.1:" + p.http() + "/v1/stream", FailoverSubscriber::webSocket, false);
    }

    /**
     * The target's other half: a durable subscription resumes on the next edge with the token of the
     * last event it got, so through every kill it receives every event published, exactly once.
     */
    @Test
    void durableSubscriberGetsEveryEventExactlyOnceThroughKills() throws Exception {
        drill("durable", 2, p -> "ws://127.0.0.1:" + p.http() + "/v1/stream", FailoverSubscriber::webSocket, true);
    }

    @Test
    void grpcSubscriberIsBackOnAnotherEdgeWithItsFirstEventWithinOneSecondOfEachKill() throws Exception {
        drill("grpc", 2, p -> "127.0.0.1:" + p.grpc(), FailoverSubscriber::grpc, false);
    }

    @Test
    void interestOfAConnectionThatEndedLastsTheGracePeriodThenGoes() throws Exception {
        Recorder recorder = new Recorder();
        String topic = "grace/x";
        try (FailoverSubscriber subscriber = FailoverSubscriber.webSocket(List.of("ws://127.0.0.1:" + ports.get(0).http() + "/v1/stream"))
                .subscribe(subscription("grace/#")).start(recorder)) {
            recorder.awaitMeshActive("grace/#");
            assertThat(mesh.router(US).regionsWanting(topic)).contains(AP);
        }
        long closed = System.nanoTime();
        // The stream ended without an unsubscribe: the client may be reconnecting elsewhere.
        await().during(Duration.ofMillis(GRACE.toMillis() / 2)).atMost(GRACE)
                .until(() -> mesh.router(US).regionsWanting(topic).contains(AP));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> !mesh.router(US).regionsWanting(topic).contains(AP));
        long gone = Duration.ofNanos(System.nanoTime() - closed).toMillis();
        LOG.info("interest of an ended connection withdrawn in us-east-1 {} ms after it ended (grace {} ms)", gone, GRACE.toMillis());
        assertThat(gone).isGreaterThanOrEqualTo(GRACE.toMillis());
    }

    private void drill(String name, int kills, Function<EdgeProcess.Ports, String> address,
                       Function<List<String>, FailoverSubscriber.Builder> builder, boolean durable) throws Exception {
        String root = "drill-" + name;
        Recorder recorder = new Recorder();
        List<String> addresses = ports.stream().map(address).toList();
        Publisher publisher = new Publisher(mesh.region(US).httpUrl());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger withdrawals = new AtomicInteger();
        AtomicInteger published = new AtomicInteger();
        List<String> accepted = new CopyOnWriteArrayList<>();
        Thread publishing = new Thread(() -> {
            while (running.get()) {
                try {
                    int n = published.incrementAndGet();
                    if (publisher.publishOn(root + "/tick", root + "-" + n, "{\"n\":" + n + "}").statusCode() == 202) {
                        accepted.add(root + "-" + n);
                    }
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.warn("publish failed: {}", e.toString());
                }
            }
        }, "drill-publisher");
        // While the drill runs, us-east-1 must keep routing the topic to ap-southeast-1.
        Thread watching = new Thread(() -> {
            while (running.get()) {
                if (!mesh.router(US).regionsWanting(root + "/tick").contains(AP)) {
                    withdrawals.incrementAndGet();
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "drill-interest-watch");
        List<Long> recoveries = new ArrayList<>();
        SubscriptionRequest request = durable ? durableSubscription(root + "/#") : subscription(root + "/#");
        try (FailoverSubscriber subscriber = builder.apply(addresses).subscribe(request).start(recorder)) {
            recorder.awaitMeshActive(root + "/#");
            publishing.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !recorder.events.isEmpty());
            watching.start();
            for (int kill = 0; kill < kills; kill++) {
                String serving = await().atMost(Duration.ofSeconds(10)).until(subscriber::currentEdge, e -> e != null);
                int victim = addresses.indexOf(serving);
                int failoversBefore = recorder.failovers.size();
                long killedAt = System.nanoTime();
                edges[victim].kill();
                Received first = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                        .until(() -> recorder.firstEventAfter(killedAt, failoversBefore), e -> e != null);
                long recovered = Duration.ofNanos(first.atNanos() - killedAt).toMillis();
                recoveries.add(recovered);
                Failover failover = recorder.failovers.get(failoversBefore);
                LOG.info("{} kill {}: {} -> {}, resubscribed after {} ms, first event {} ms after the kill", name, kill + 1,
                        failover.from(), failover.to(), failover.gap().toMillis(), recovered);
            }
            // The killed edges' entries expire with their leases meanwhile; the region's interest, held
            // by the edge now serving, must not, and events must keep coming.
            long lastKill = System.nanoTime();
            await().pollDelay(LEASE_OUTLIVED).atMost(LEASE_OUTLIVED.plusSeconds(10)).until(() ->
                    recorder.events.get(recorder.events.size() - 1).atNanos() > lastKill + LEASE_OUTLIVED.toNanos());
            running.set(false);
            publishing.join(10_000);
            if (durable) {
                // Everything accepted before the publisher stopped, the kills' windows included.
                await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.stream()
                        .map(r -> r.event().getEventId()).toList().containsAll(accepted));
            }
        } finally {
            running.set(false);
            publishing.join(10_000);
            watching.join(10_000);
        }
        Collections.sort(recoveries);
        long p99 = recoveries.get((int) Math.ceil(0.99 * recoveries.size()) - 1);
        LOG.info("{} drill: {} kills, kill to first event {} ms (p99 {} ms); {} events published, {} received", name, kills,
                recoveries, p99, published.get(), recorder.events.size());
        assertThat(withdrawals.get()).as("times us-east-1 stopped routing to ap-southeast-1 during the drill").isZero();
        assertThat(p99).as("kill -9 to first event on another edge, p99 over %d kills, ms", kills).isLessThanOrEqualTo(TARGET.toMillis());
        assertThat(recorder.events).extracting(r -> r.event().getEventId()).doesNotHaveDuplicates();
        if (durable) {
            assertThat(recorder.events).extracting(r -> r.event().getEventId()).as("a durable subscription loses nothing")
                    .containsAll(accepted);
            assertThat(recorder.events).allSatisfy(r -> assertThat(r.event().getResumeToken()).isNotEmpty());
        }
    }

    /** An event and when it arrived. */
    private record Received(EventEnvelope event, long atNanos, int failoversSoFar) {
    }

    /** Records what a failover subscriber reports. */
    private static final class Recorder implements FailoverListener {
        final List<Received> events = new CopyOnWriteArrayList<>();
        final List<Failover> failovers = new CopyOnWriteArrayList<>();
        final List<StreamControl> controls = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(EventEnvelope event) {
            events.add(new Received(event, System.nanoTime(), failovers.size()));
        }

        @Override
        public void onControl(StreamControl control) {
            controls.add(control);
        }

        @Override
        public void onFailover(Failover failover) {
            failovers.add(failover);
        }

        void awaitMeshActive(String pattern) {
            await().atMost(Duration.ofSeconds(30)).until(() -> controls.stream()
                    .anyMatch(c -> c.getType() == StreamControl.Type.MESH_ACTIVE && c.getTopicPattern().equals(pattern)));
        }

        /** The first event that arrived after the kill and after the failover that followed it. */
        Received firstEventAfter(long killedAtNanos, int failoversBefore) {
            return events.stream().filter(r -> r.atNanos() > killedAtNanos && r.failoversSoFar() > failoversBefore)
                    .findFirst().orElse(null);
        }
    }
}
