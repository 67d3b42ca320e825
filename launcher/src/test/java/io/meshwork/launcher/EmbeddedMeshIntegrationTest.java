package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole embedded three-region mesh, as `mesh up` starts it, on free ports. */
@Tag("integration")
@Timeout(180)
class EmbeddedMeshIntegrationTest {

    private static final Topology TOPOLOGY = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
    private static EmbeddedMesh mesh;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = EmbeddedMesh.start(TOPOLOGY, EmbeddedMesh.Ports.EPHEMERAL, MeshProgress.SILENT);
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    private HttpResponse<String> send(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void seedRequestToUsEastReachesASubscriberInTheSameRegion() throws Exception {
        RegionEndpoints us = mesh.region("us-east-1");
        try (StreamClient subscriber = StreamClient.connect(us.streamUrl())) {
            subscriber.subscribe("com/codesprintpro/#");

            var response = new Publisher(us.httpUrl()).publishSeedEvent("evt_uuid_88192ab_99");

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.body()).contains("\"eventId\":\"evt_uuid_88192ab_99\"").contains("\"status\":\"ACCEPTED\"");
            EventEnvelope event = subscriber.awaitEvent("evt_uuid_88192ab_99");
            assertThat(event.getTopic()).isEqualTo("com/codesprintpro/order/created");
            assertThat(event.getRoutingPathList()).containsExactly("us-east-1");
        }
    }

    @Test
    void everyRegionHasTheContractTopics() throws Exception {
        for (String region : TOPOLOGY.regionNames()) {
            Set<String> topics = mesh.cluster(region).admin().listTopics().names().get(10, TimeUnit.SECONDS);
            assertThat(topics).contains(MeshKafkaTopics.EVENTS, MeshKafkaTopics.INTEREST);
            for (String neighbour : TOPOLOGY.neighbours(region)) {
                assertThat(topics).contains(MeshKafkaTopics.link(neighbour));
            }
            assertThat(topics).doesNotContain(MeshKafkaTopics.link(region));
            // Partitions, replication and configs as the contract says, not only the names.
            new TopicApplier(mesh.cluster(region).admin(), region)
                    .apply(TopicContract.embedded(region, TOPOLOGY.neighbours(region)).topics(), TopicApplier.Mode.VERIFY_ONLY);
        }
    }

    @Test
    void controlPlaneReportsHealthAndTopology() throws Exception {
        var health = send("GET", mesh.controlPlaneUrl() + "/v1/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"kafka/ap-southeast-1\":\"UP\"")
                .contains("\"edge/eu-west-1\":\"UP\"");
        assertThat(send("GET", mesh.controlPlaneUrl() + "/v1/topology").body())
                .contains("\"a\":\"eu-west-1\",\"b\":\"ap-southeast-1\",\"rttMs\":120");
    }

    /** A client in us-east-1 reaching eu-west-1's cluster the way the links will: through the WAN emulator. */
    @Test
    void cutAndHealThroughTheAdminApiAreSeenByAKafkaClientAcrossTheLink() throws Exception {
        int linkPort = mesh.wan().link("us-east-1", "eu-west-1").port();
        try (Admin remote = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + linkPort,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            var nodes = remote.describeCluster().nodes().get(10, TimeUnit.SECONDS);
            // Advertised at the link's port: every broker connection goes through the emulator.
            assertThat(nodes).extracting(node -> node.port()).containsOnly(linkPort);
            long before = mesh.wan().link("us-east-1", "eu-west-1").bytesForwarded();
            long started = System.nanoTime();
            assertThat(remote.listTopics().names().get(10, TimeUnit.SECONDS)).contains(MeshKafkaTopics.link("us-east-1"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(70));
            assertThat(mesh.wan().link("us-east-1", "eu-west-1").bytesForwarded()).isGreaterThan(before);

            assertThat(send("POST", mesh.controlPlaneUrl() + "/v1/admin/links/us-east-1/eu-west-1/cut").body())
                    .contains("\"state\":\"DOWN\"");
            assertThatThrownBy(() -> remote.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);

            send("POST", mesh.controlPlaneUrl() + "/v1/admin/links/us-east-1/eu-west-1/heal");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    remote.listTopics().names().get(3, TimeUnit.SECONDS).contains(MeshKafkaTopics.EVENTS));
        }
    }

    @Test
    void takenPortIsReportedWithItsPurposeBeforeAnythingStarts() throws Exception {
        try (var squatter = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int taken = squatter.getLocalPort();
            String yaml = Files.readString(Path.of("..", "topology", "three-regions.yaml"))
                    .replace("http: 28080", "http: " + taken);
            Topology clashing = TopologyLoader.parse("clash.yaml", yaml);

            assertThatThrownBy(() -> EmbeddedMesh.start(clashing, EmbeddedMesh.Ports.TOPOLOGY, MeshProgress.SILENT))
                    .isInstanceOfSatisfying(PortInUseException.class, e -> {
                        assertThat(e.port()).isEqualTo(taken);
                        assertThat(e.getMessage()).contains("port " + taken)
                                .contains("edge HTTP/WebSocket listener of eu-west-1");
                    });
        }
    }

    @Test
    void unknownRegionIsNamed() {
        assertThatThrownBy(() -> mesh.region("mars-1")).hasMessageContaining("mars-1");
        assertThat(List.of("us-east-1", "eu-west-1", "ap-southeast-1")).allSatisfy(region -> mesh.region(region));
    }

    @Test
    void isolateAndRejoinDriveEveryLinkOfTheRegionInTheWanEmulator() throws Exception {
        assertThat(send("POST", mesh.controlPlaneUrl() + "/v1/admin/regions/ap-southeast-1/isolate").statusCode()).isEqualTo(200);
        assertThat(mesh.wan().link("us-east-1", "ap-southeast-1").isUp()).isFalse();
        assertThat(mesh.wan().link("ap-southeast-1", "eu-west-1").isUp()).isFalse();
        assertThat(mesh.wan().link("us-east-1", "eu-west-1").isUp()).isTrue();
        assertThat(send("GET", mesh.controlPlaneUrl() + "/v1/topology").body())
                .contains("\"a\":\"eu-west-1\",\"b\":\"ap-southeast-1\",\"rttMs\":120,\"state\":\"DOWN\"");

        assertThat(send("POST", mesh.controlPlaneUrl() + "/v1/admin/regions/ap-southeast-1/rejoin").statusCode()).isEqualTo(200);
        assertThat(mesh.wan().links()).allSatisfy(link -> assertThat(link.isUp()).isTrue());
    }

    @Test
    void topologyShowsTheNextHopsTheRoutersUseAndTheRttsTheLinksMeasured() {
        await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(send("GET", mesh.controlPlaneUrl() + "/v1/topology").body())
                        .contains("\"name\":\"us-east-1\"")
                        .contains("\"nextHops\":{\"ap-southeast-1\":\"ap-southeast-1\",\"eu-west-1\":\"eu-west-1\"}")
                        .contains("\"routerState\":\"UP\"")
                        .containsPattern("\"a\":\"us-east-1\",\"b\":\"ap-southeast-1\",\"rttMs\":180,\"state\":\"UP\",\"routerState\":\"UP\",\"measuredRttMs\":1[0-9]{2}"));
    }
}
