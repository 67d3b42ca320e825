package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.topology.TopologyLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interest-routed forwarding on three real clusters joined by the (default) push links through the
 * WAN emulator: events cross a link only towards regions with a matching subscriber.
 */
@Tag("integration")
@Timeout(300)
class InterestRoutingIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(InterestRoutingIntegrationTest.class);
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    private static EmbeddedMesh mesh;

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), EmbeddedMesh.Ports.EPHEMERAL,
                MeshProgress.SILENT);
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    private static String id() {
        return "evt-" + UUID.randomUUID();
    }

    private static Publisher publisherIn(String region) {
        return new Publisher(mesh.region(region).httpUrl());
    }

    /** Waits until {@code router} forwards {@code topic} to {@code region}; returns how long that took. */
    private static Duration awaitInterest(String router, String topic, String region) {
        long started = System.nanoTime();
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20))
                .until(() -> mesh.router(router).regionsWanting(topic).contains(region));
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static void awaitNoInterest(String router, String topic, String region) {
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20))
                .until(() -> !mesh.router(router).regionsWanting(topic).contains(region));
    }

    @Test
    void seedSequenceDiagramForwardsOnlyToTheSubscribedRegion() throws Exception {
        long euLinkBefore = MeshProbe.recordsIn(mesh, US, MeshKafkaTopics.link(EU));
        double apEventsBefore = MeshProbe.linkEvents(US, AP);
        double euEventsBefore = MeshProbe.linkEvents(US, EU);
        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl());
             StreamClient local = StreamClient.connect(mesh.region(US).streamUrl())) {
            asia.subscribe("orders/ap/#");
            local.subscribe("orders/us/#");
            Duration toUs = awaitInterest(US, "orders/ap/checkout", AP);
            Duration toEu = awaitInterest(EU, "orders/ap/checkout", AP);
            LOG.info("interest propagation ap-southeast-1 -> us-east-1: {} ms, -> eu-west-1: {} ms (after the first)",
                    toUs.toMillis(), toEu.toMillis());
            asia.awaitControl(io.meshwork.schema.v1.StreamControl.Type.MESH_ACTIVE, "orders/ap/#");

            String forAsia = id();
            String staysHome = id();
            assertThat(publisherIn(US).publishOn("orders/ap/checkout", forAsia, "{\"amountCents\":4900}").statusCode()).isEqualTo(202);
            assertThat(publisherIn(US).publishOn("orders/us/checkout", staysHome, "{}").statusCode()).isEqualTo(202);

            EventEnvelope delivered = asia.awaitEvent(forAsia);
            assertThat(delivered.getRoutingPathList()).containsExactly(US, AP);
            assertThat(delivered.getTopic()).isEqualTo("orders/ap/checkout");
            assertThat(delivered.getPayloadBytes().toStringUtf8()).isEqualTo("{\"amountCents\":4900}");
            local.awaitEvent(staysHome);

            assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(AP))).containsOnlyOnce(forAsia).doesNotContain(staysHome);
            assertThat(MeshProbe.eventIdsIn(mesh, AP, MeshKafkaTopics.arrivals(US, AP))).containsOnlyOnce(forAsia);
            assertThat(MeshProbe.recordsIn(mesh, US, MeshKafkaTopics.link(EU))).isEqualTo(euLinkBefore);
            assertThat(MeshProbe.linkEvents(US, EU) - euEventsBefore).isZero();
            assertThat(MeshProbe.linkEvents(US, AP) - apEventsBefore).isEqualTo(1);

            String marker = id();
            publisherIn(US).publishOn("orders/ap/marker", marker, "{}");
            asia.awaitEvent(marker);
            assertThat(asia.events()).extracting(EventEnvelope::getEventId).containsExactly(forAsia, marker);
        }
    }

    @Test
    void unsubscribeStopsForwardingAndSubscribingAgainResumesIt() throws Exception {
        try (StreamClient europe = StreamClient.connect(mesh.region(EU).streamUrl())) {
            europe.subscribeMeshWide("billing/eu/#");
            awaitInterest(US, "billing/eu/x", EU);
            String first = id();
            publisherIn(US).publishOn("billing/eu/x", first, "{}");
            europe.awaitEvent(first);

            europe.unsubscribe("billing/eu/#");
            awaitNoInterest(US, "billing/eu/x", EU);
            String whileAway = id();
            publisherIn(US).publishOn("billing/eu/x", whileAway, "{}");

            europe.subscribeMeshWide("billing/eu/#");
            awaitInterest(US, "billing/eu/x", EU);
            String again = id();
            publisherIn(US).publishOn("billing/eu/x", again, "{}");
            europe.awaitEvent(again);

            assertThat(europe.events()).extracting(EventEnvelope::getEventId).containsExactly(first, again);
            assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(EU))).contains(first, again).doesNotContain(whileAway);
        }
    }

    @Test
    void interestOfAnEdgeThatDiesWithoutUnsubscribingExpires() throws Exception {
        EdgeBridge doomed = EdgeBridge.start(EdgeConfig.defaults(AP, mesh.region(AP).bootstrapServers())
                .withHttp("127.0.0.1", 0).withLeaseTtl(Duration.ofSeconds(2)));
        try (StreamClient client = StreamClient.connect("ws://127.0.0.1:" + doomed.httpPort() + "/v1/stream")) {
            client.subscribeMeshWide("sensors/ap/#");
            awaitInterest(US, "sensors/ap/t1", AP);

            long crashed = System.nanoTime();
            doomed.crash();

            awaitNoInterest(US, "sensors/ap/t1", AP);
            LOG.info("interest of a crashed edge withdrawn everywhere {} ms after the crash (lease 2 s)",
                    Duration.ofNanos(System.nanoTime() - crashed).toMillis());
            String after = id();
            publisherIn(US).publishOn("sensors/ap/t1", after, "{}");
            String marker = id();
            try (StreamClient probe = StreamClient.connect(mesh.region(AP).streamUrl())) {
                probe.subscribeMeshWide("probe/#");
                awaitInterest(US, "probe/x", AP);
                publisherIn(US).publishOn("probe/x", marker, "{}");
                probe.awaitEvent(marker);
            }
            assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(AP))).contains(marker).doesNotContain(after);
        }
    }

    @Test
    void aThousandOverlappingSubscribersInTwoRegionsGetExactlyOneCopyPerRegion() throws Exception {
        List<String> patterns = List.of("#", "fleet/#", "fleet/eu/#", "fleet/+/truck", "+/eu/truck", "+/+/truck",
                "fleet/eu/truck", "+/#", "fleet/+/+", "+/+/+");
        List<StreamClient> clients = new ArrayList<>();
        try {
            for (String region : List.of(EU, AP)) {
                for (int connection = 0; connection < 50; connection++) {
                    StreamClient client = StreamClient.connect(mesh.region(region).streamUrl());
                    clients.add(client);
                    for (String pattern : patterns) {
                        client.subscribe(pattern);
                    }
                }
            }
            assertThat(clients).hasSize(100); // 100 connections x 10 patterns = 1,000 subscriptions
            for (StreamClient client : clients) {
                for (String pattern : patterns) {
                    client.awaitControl(io.meshwork.schema.v1.StreamControl.Type.MESH_ACTIVE, pattern);
                }
            }
            awaitInterest(US, "fleet/eu/truck", EU);
            awaitInterest(US, "fleet/eu/truck", AP);

            String id = id();
            publisherIn(US).publishOn("fleet/eu/truck", id, "{}");
            for (StreamClient client : clients) {
                client.awaitEvent(id);
            }
            String marker = id();
            publisherIn(US).publishOn("fleet/eu/truck", marker, "{}");
            for (StreamClient client : clients) {
                client.awaitEvent(marker);
                assertThat(client.events()).extracting(EventEnvelope::getEventId).containsOnlyOnce(id);
            }
            assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(EU))).containsOnlyOnce(id, marker);
            assertThat(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(AP))).containsOnlyOnce(id, marker);
        } finally {
            for (StreamClient client : clients) {
                client.close();
            }
        }
    }

    @Test
    void routerRestartedMidStreamRebuildsInterestAndLosesNothing() throws Exception {
        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl())) {
            asia.subscribeMeshWide("ticks/#");
            awaitInterest(US, "ticks/1", AP);
            List<String> sent = new ArrayList<>();
            AtomicBoolean restarted = new AtomicBoolean();
            Publisher publisher = publisherIn(US);
            for (int i = 0; i < 200; i++) {
                String id = "tick-" + i + "-" + UUID.randomUUID();
                assertThat(publisher.publishOn("ticks/" + i, id, "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
                sent.add(id);
                if (i == 80) {
                    long restarting = System.nanoTime();
                    mesh.restartRouter(US);
                    LOG.info("router us-east-1 restarted in {} ms", Duration.ofNanos(System.nanoTime() - restarting).toMillis());
                    restarted.set(true);
                    // The restarted router knows AP's interest from its route table before routing anything.
                    assertThat(mesh.router(US).regionsWanting("ticks/1")).contains(AP);
                }
            }
            assertThat(restarted).isTrue();
            long draining = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).until(() -> asia.events().size() >= sent.size());
            LOG.info("all {} events delivered {} ms after the last publish", sent.size(),
                    Duration.ofNanos(System.nanoTime() - draining).toMillis());
            List<String> received = asia.events().stream().map(EventEnvelope::getEventId).toList();
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(Set.copyOf(received)).hasSize(sent.size());
        }
    }

    @Test
    void invalidKafkaNativeRecordGoesToTheDeadLetterTopicAndRoutingCarriesOn() throws Exception {
        try (StreamClient europe = StreamClient.connect(mesh.region(EU).streamUrl());
             var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(java.util.Map.<String, Object>of(
                     org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.region(US).bootstrapServers()),
                     new org.apache.kafka.common.serialization.StringSerializer(),
                     new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            europe.subscribeMeshWide("dlq-probe/#");
            awaitInterest(US, "dlq-probe/x", EU);
            var garbage = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(MeshKafkaTopics.EVENTS, "k",
                    "not an event".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            garbage.headers().add("ce_id", "garbage-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(garbage).get();

            String valid = id();
            publisherIn(US).publishOn("dlq-probe/x", valid, "{}");
            europe.awaitEvent(valid);

            await().atMost(Duration.ofSeconds(20)).until(() -> MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.DLQ).contains("garbage-1"));
            assertThat(mesh.router(US).isRunning()).isTrue();
        }
    }

    @Test
    void linkTrafficIsOnTheControlPlanesPrometheusEndpoint() throws Exception {
        try (StreamClient europe = StreamClient.connect(mesh.region(EU).streamUrl())) {
            europe.subscribeMeshWide("metrics-probe/#");
            awaitInterest(US, "metrics-probe/x", EU);
            String id = id();
            publisherIn(US).publishOn("metrics-probe/x", id, "{}");
            europe.awaitEvent(id);
        }
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(mesh.controlPlaneUrl() + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("mesh_link_events_total{from=\"us-east-1\",to=\"eu-west-1\"}")
                .contains("mesh_link_bytes_total{from=\"us-east-1\",to=\"eu-west-1\"}")
                .contains("mesh_arrivals_total{from=\"us-east-1\",region=\"eu-west-1\"}")
                .contains("mesh_interest_entries{origin=\"eu-west-1\",region=\"us-east-1\"}");
    }

    @Test
    void plainKafkaProducerInOneRegionReachesASubscriberInAnother() throws Exception {
        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl());
             var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(java.util.Map.<String, Object>of(
                     org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.region(US).bootstrapServers()),
                     new org.apache.kafka.common.serialization.StringSerializer(),
                     new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            asia.subscribeMeshWide("inventory/#");
            awaitInterest(US, "inventory/adjusted", AP);
            String id = id();
            var record = new org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>(MeshKafkaTopics.EVENTS, null,
                    "{\"sku\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", id}, {"ce_source", "/warehouse"},
                    {"ce_type", "inventory.adjusted"}, {"content-type", "application/json"}}) {
                record.headers().add(header[0], header[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            producer.send(record).get();

            EventEnvelope event = asia.awaitEvent(id);
            assertThat(event.getTopic()).isEqualTo("inventory/adjusted");
            assertThat(event.getRoutingPathList()).containsExactly(US, AP);
            assertThat(event.getPayloadBytes().toStringUtf8()).isEqualTo("{\"sku\":1}");
        }
    }

    @Test
    void subscriberLearnsWhenItsSubscriptionIsActiveInEveryRegion() throws Exception {
        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl())) {
            long started = System.nanoTime();
            asia.subscribe("confirm/#");
            asia.awaitControl(io.meshwork.schema.v1.StreamControl.Type.MESH_ACTIVE, "confirm/#");
            LOG.info("subscription confirmed mesh-wide {} ms after subscribing", Duration.ofNanos(System.nanoTime() - started).toMillis());

            // Acks are written as the routers take the advert into their route tables.
            await().atMost(Duration.ofSeconds(2)).until(() -> mesh.router(US).regionsWanting("confirm/x").contains(AP)
                    && mesh.router(EU).regionsWanting("confirm/x").contains(AP));
            String id = id();
            publisherIn(EU).publishOn("confirm/x", id, "{}");
            asia.awaitEvent(id);
        }
    }

    @Test
    void eventsNoRemoteSelectorAcceptsNeverEnterTheWanLink() throws Exception {
        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl())) {
            asia.subscribe("invoices/#", "headers.amountCents > 10000");
            asia.awaitControl(io.meshwork.schema.v1.StreamControl.Type.MESH_ACTIVE, "invoices/#");
            awaitInterest(US, "invoices/x", AP);
            List<String> before = MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(AP));
            String small = id();
            String large = id();
            publisherIn(US).publishOn("invoices/x", small, "{\"amountCents\":4900}");
            publisherIn(US).publishOn("invoices/x", large, "{\"amountCents\":14900}");

            asia.awaitEvent(large);
            List<String> crossed = new ArrayList<>(MeshProbe.eventIdsIn(mesh, US, MeshKafkaTopics.link(AP)));
            crossed.removeAll(before); // records come back grouped by partition, not in time order
            assertThat(crossed).containsExactly(large);
            assertThat(asia.events()).extracting(EventEnvelope::getEventId).containsExactly(large);
        }
    }

    @Test
    void grpcPublishInOneRegionReachesGrpcAndWebSocketSubscribersInAnother() throws Exception {
        var usChannel = io.grpc.ManagedChannelBuilder.forTarget(mesh.region(US).grpcTarget()).usePlaintext().build();
        var apChannel = io.grpc.ManagedChannelBuilder.forTarget(mesh.region(AP).grpcTarget()).usePlaintext().build();
        var frames = new java.util.concurrent.CopyOnWriteArrayList<EventEnvelope>();
        try (StreamClient webSocket = StreamClient.connect(mesh.region(AP).streamUrl())) {
            var requests = io.meshwork.schema.v1.SubscriptionServiceGrpc.newStub(apChannel).subscribe(new io.grpc.stub.StreamObserver<>() {
                @Override
                public void onNext(EventEnvelope frame) {
                    frames.add(frame);
                }

                @Override
                public void onError(Throwable error) {
                }

                @Override
                public void onCompleted() {
                }
            });
            requests.onNext(io.meshwork.schema.v1.SubscriptionRequest.newBuilder().setClientId("grpc-ap")
                    .setTopicPattern("shipments/#").build());
            webSocket.subscribe("shipments/#");
            await().atMost(PROPAGATION).until(() -> frames.stream().anyMatch(f -> f.hasControl()
                    && f.getControl().getType() == io.meshwork.schema.v1.StreamControl.Type.MESH_ACTIVE));

            String id = id();
            var accepted = io.meshwork.schema.v1.PublishServiceGrpc.newBlockingStub(usChannel).publish(
                    io.meshwork.schema.v1.PublishRequest.newBuilder().setEventId(id).setType("shipment.sent").setSource("/grpc")
                            .setTopic("shipments/ap/1").setContentType("application/json")
                            .setPayloadBytes(com.google.protobuf.ByteString.copyFromUtf8("{\"parcels\":2}")).build());
            assertThat(accepted.getStatus()).isEqualTo("ACCEPTED");

            await().atMost(Duration.ofSeconds(20)).until(() -> frames.stream().anyMatch(f -> f.getEventId().equals(id)));
            EventEnvelope overGrpc = frames.stream().filter(f -> f.getEventId().equals(id)).findFirst().orElseThrow();
            assertThat(overGrpc.getRoutingPathList()).containsExactly(US, AP);
            assertThat(overGrpc.getHeadersMap()).containsEntry("type", "shipment.sent").containsEntry("source", "/grpc");
            assertThat(overGrpc.getPayloadBytes().toStringUtf8()).isEqualTo("{\"parcels\":2}");
            assertThat(webSocket.awaitEvent(id).getRoutingPathList()).containsExactly(US, AP);
            requests.onCompleted();
        } finally {
            usChannel.shutdownNow();
            apChannel.shutdownNow();
        }
    }

    @Test
    void mqttSubackIsHeldUntilTheSubscriptionIsActiveInEveryRegion() throws Exception {
        var client = new org.eclipse.paho.mqttv5.client.MqttClient(mesh.region(AP).mqttUri(), "held-" + UUID.randomUUID(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        try {
            client.connect();
            long started = System.nanoTime();
            var token = client.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[] {
                    new org.eclipse.paho.mqttv5.common.MqttSubscription("held/#", 1)});
            long held = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(token.getReasonCodes()).containsExactly(1);
            assertThat(held).as("an acknowledgement crosses at least one emulated link (>= 70 ms RTT)").isGreaterThanOrEqualTo(70);
            LOG.info("MQTT SUBACK for held/# answered after {} ms, once every region routed for it", held);
            // The acks were written as the routers took the advert in; their route tables agree at once.
            await().atMost(Duration.ofSeconds(1)).until(() -> mesh.router(US).regionsWanting("held/x").contains(AP)
                    && mesh.router(EU).regionsWanting("held/x").contains(AP));
            client.disconnect();
        } finally {
            client.close();
        }
    }

    @Test
    void cutLinkIsRoutedAroundWithinFiveSecondsAndRestoredAfterHeal() throws Exception {
        try (StreamClient asia = StreamClient.connect(mesh.region(AP).streamUrl())) {
            asia.subscribe("reroute/#");
            asia.awaitControl(io.meshwork.schema.v1.StreamControl.Type.MESH_ACTIVE, "reroute/#");
            assertThat(mesh.router(US).nextHop(AP)).contains(AP);

            long cut = System.nanoTime();
            mesh.wan().cut(US, AP);
            try {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> mesh.router(US).nextHop(AP).equals(java.util.Optional.of(EU)));
                LOG.info("us-east-1 reroutes to ap-southeast-1 through eu-west-1 {} ms after the cut",
                        Duration.ofNanos(System.nanoTime() - cut).toMillis());

                String detoured = id();
                publisherIn(US).publishOn("reroute/x", detoured, "{}");
                assertThat(asia.awaitEvent(detoured).getRoutingPathList()).containsExactly(US, EU, AP);
            } finally {
                mesh.wan().heal(US, AP);
            }
            long healed = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> mesh.router(US).nextHop(AP).equals(java.util.Optional.of(AP)));
            LOG.info("direct route us-east-1 -> ap-southeast-1 back {} ms after the heal", Duration.ofNanos(System.nanoTime() - healed).toMillis());
            String direct = id();
            publisherIn(US).publishOn("reroute/x", direct, "{}");
            assertThat(asia.awaitEvent(direct).getRoutingPathList()).containsExactly(US, AP);
        }
    }
}
