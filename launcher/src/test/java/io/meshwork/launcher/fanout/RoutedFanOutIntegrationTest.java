package io.meshwork.launcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeDelivery;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.MeshProgress;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-region fan-out on the embedded mesh: two more edges of us-east-1 in routed delivery mode,
 * each on its own slot of {@code mesh.deliveries}, beside the mesh's own (direct) edges.
 */
@Tag("integration")
@Timeout(300)
class RoutedFanOutIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";

    private static EmbeddedMesh mesh;
    private static EdgeBridge edgeA;
    private static EdgeBridge edgeB;

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), EmbeddedMesh.Ports.EPHEMERAL,
                MeshProgress.SILENT);
        edgeA = EdgeBridge.start(routedEdge(1));
        edgeB = EdgeBridge.start(routedEdge(2));
    }

    private static EdgeConfig routedEdge(int slot) {
        return EdgeConfig.defaults(US, mesh.region(US).bootstrapServers()).withHttp("127.0.0.1", 0)
                .withMeshRegions(Set.copyOf(mesh.topology().regionNames()))
                .withDelivery(EdgeDelivery.routed(slot));
    }

    @AfterAll
    static void stopMesh() throws Exception {
        for (EdgeBridge edge : new EdgeBridge[] {edgeA, edgeB}) {
            if (edge != null) {
                edge.close();
            }
        }
        if (mesh != null) {
            mesh.close();
        }
    }

    private static String streamUrl(EdgeBridge edge) {
        return "ws://127.0.0.1:" + edge.httpPort() + "/v1/stream";
    }

    private static Publisher publisherIn(String region) {
        return new Publisher(mesh.region(region).httpUrl());
    }

    private static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static List<String> ids(StreamClient client, String topicPrefix) {
        return client.events().stream().filter(e -> e.getTopic().startsWith(topicPrefix)).map(EventEnvelope::getEventId).toList();
    }

    @Test
    void eachRoutedEdgeGetsExactlyItsSubscribersEventsOnceAndInOrderReadingOnlyItsSlot() throws Exception {
        try (StreamClient onA = StreamClient.connect(streamUrl(edgeA));
             StreamClient onB = StreamClient.connect(streamUrl(edgeB))) {
            onA.subscribe("fleet/a/#");
            onB.subscribe("fleet/b/#");
            onB.subscribe("pay/#", "amountCents > 100");
            long readByABefore = edgeA.deliveryRecordsRead();
            long readByDirectBefore = mesh.edge(US).deliveryRecordsRead();

            Map<String, List<String>> expected = Map.of("fleet/a/x", new ArrayList<>(), "fleet/b/x", new ArrayList<>(),
                    "pay/big", new ArrayList<>(), "pay/small", new ArrayList<>(), "noise/n", new ArrayList<>());
            List<String> topics = List.of("fleet/a/x", "fleet/b/x", "pay/big", "pay/small", "noise/n");
            int published = 0;
            for (int round = 0; round < 30; round++) {
                for (String topic : topics) {
                    String eventId = id(topic.replace('/', '-') + "-" + round);
                    int amount = topic.equals("pay/big") ? 500 + round : 5;
                    assertThat(publisherIn(US).publishOn(topic, eventId, "{\"amountCents\":" + amount + "}").statusCode())
                            .isEqualTo(202);
                    expected.get(topic).add(eventId);
                    published++;
                }
            }
            String lastA = expected.get("fleet/a/x").get(29);
            String lastB = expected.get("pay/big").get(29);
            onA.awaitEvent(lastA);
            onB.awaitEvent(lastB);
            // A late extra copy would show up behind these: one more event on each slot, awaited.
            String closingA = id("closing-a");
            String closingB = id("closing-b");
            publisherIn(US).publishOn("fleet/a/x", closingA, "{}");
            publisherIn(US).publishOn("fleet/b/x", closingB, "{}");
            onA.awaitEvent(closingA);
            onB.awaitEvent(closingB);

            List<String> wantedByA = new ArrayList<>(expected.get("fleet/a/x"));
            wantedByA.add(closingA);
            assertThat(ids(onA, "")).containsExactlyElementsOf(wantedByA);
            assertThat(ids(onB, "fleet/")).containsExactlyElementsOf(append(expected.get("fleet/b/x"), closingB));
            assertThat(ids(onB, "pay/")).containsExactlyElementsOf(expected.get("pay/big"));

            long readByA = edgeA.deliveryRecordsRead() - readByABefore;
            long readByDirect = mesh.edge(US).deliveryRecordsRead() - readByDirectBefore;
            assertThat(readByDirect).isGreaterThanOrEqualTo(published);
            // Its own 31 events, and at most a few markers of its own subscriptions: not the region's 152.
            assertThat(readByA).isBetween((long) wantedByA.size(), wantedByA.size() + 5L);
        }
    }

    private static List<String> append(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    @Test
    void aSubscriptionConfirmedInRoutedModeGetsTheEventPublishedRightAfterTheConfirmation() throws Exception {
        // Each round subscribes anew (the previous connection gone, its interest withdrawn), so the
        // router must see a new interest record before the edge may confirm.
        for (int round = 0; round < 6; round++) {
            try (StreamClient client = StreamClient.connect(streamUrl(round % 2 == 0 ? edgeA : edgeB))) {
                client.subscribe("race/#");
                String eventId = id("race-" + round);
                assertThat(publisherIn(US).publishOn("race/now", eventId, "{}").statusCode()).isEqualTo(202);
                assertThat(client.awaitEvent(eventId).getTopic()).isEqualTo("race/now");
            }
        }
    }

    @Test
    void whileTheRouterIsDownARoutedSubscriptionWaitsForItsConfirmationAndThenGetsTheNextEvent(@TempDir Path routerState)
            throws Exception {
        mesh.stopRouter(US);
        try (StreamClient client = StreamClient.connect(streamUrl(edgeA))) {
            client.send("{\"clientId\":\"test\",\"action\":\"SUBSCRIBE\",\"topicPattern\":\"down/#\"}");
            // Nobody routes for it yet: confirming now would promise events the edge cannot get.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> !client.hasControl(StreamControl.Type.SUBSCRIBED, "down/#"));

            mesh.startRouter(US, routerState);
            client.awaitControl(StreamControl.Type.SUBSCRIBED, "down/#");
            String eventId = id("after-restart");
            publisherIn(US).publishOn("down/1", eventId, "{}");
            client.awaitEvent(eventId);
        } finally {
            if (mesh.router(US) == null) {
                mesh.startRouter(US, routerState);
            }
        }
    }

    @Test
    void arrivalsFromOtherRegionsReachRoutedEdgesAndLocalEventsKeepTheirOwnRouting() throws Exception {
        try (StreamClient routed = StreamClient.connect(streamUrl(edgeA));
             StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl())) {
            routed.subscribeMeshWide("xr/#");
            asia.subscribeMeshWide("xr/#");

            String fromEurope = id("from-eu");
            publisherIn(EU).publishOn("xr/eu", fromEurope, "{}");
            assertThat(routed.awaitEvent(fromEurope).getRoutingPathList()).containsExactly(EU, US);

            // Published here and wanted in Asia too: the router forwards it there and copies it to the
            // routed edge, whose copy carries the event as published, not the forward's headers.
            String fromHere = id("from-us");
            publisherIn(US).publishOn("xr/us", fromHere, "{}");
            assertThat(routed.awaitEvent(fromHere).getRoutingPathList()).containsExactly(US);
            // Through eu-west-1 when the direct link is judged down on a busy machine: either way from here to Asia.
            assertThat(asia.awaitEvent(fromHere).getRoutingPathList()).startsWith(US).endsWith(AP);
            assertThat(routed.events().stream().map(EventEnvelope::getEventId).collect(Collectors.toList()))
                    .containsExactly(fromEurope, fromHere);
        }
    }

    @Test
    void aDeliveryPartitionBeyondTheTopicStopsTheEdgeNamingTheSetting() {
        assertThatThrownBy(() -> EdgeBridge.start(routedEdge(99)))
                .hasMessageContaining("edge.delivery.partition=99")
                .hasMessageContaining("mesh.deliveries");
    }

    @Test
    void anEdgeWhoseSlotIsDerivedFromItsIdDeliversToo() throws Exception {
        try (EdgeBridge hashed = EdgeBridge.start(EdgeConfig.defaults(US, mesh.region(US).bootstrapServers())
                .withHttp("127.0.0.1", 0).withDelivery(EdgeDelivery.routed()));
             StreamClient client = StreamClient.connect(streamUrl(hashed))) {
            assertThat(hashed.edgeId()).matches(".*@slot\\d+");
            client.subscribe("hashed/#");
            String eventId = id("hashed");
            publisherIn(US).publishOn("hashed/1", eventId, "{}");
            client.awaitEvent(eventId);
            assertThat(client.events()).extracting(EventEnvelope::getEventId).containsExactly(eventId);
        }
    }
}
