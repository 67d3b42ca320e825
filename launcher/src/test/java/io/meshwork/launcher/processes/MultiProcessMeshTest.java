package io.meshwork.launcher.processes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.drills.Deliveries;
import io.meshwork.launcher.drills.NumberedStream;
import io.meshwork.schema.v1.EventEnvelope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's scenario on a mesh whose every part is its own process: real Kafka brokers (three in
 * us-east-1, one in each other region; eu-west-1's requires SASL/SCRAM), each region's router, links and edge,
 * and a control plane, started from YAML config files as a user would; then a second us-east-1 router joins and one
 * of the two is killed mid-stream. Each process's output stays in the temp directory when a test fails.
 */
@Tag("integration")
@Timeout(420)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiProcessMeshTest {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static final Pattern METRICS_PORT = Pattern.compile("metrics=:(\\d+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ProcessMesh mesh;

    @BeforeAll
    static void startMesh() {
        mesh = ProcessMesh.start(dir, Map.of("us-east-1", 3), Map.of("eu-west-1", new ScramUser("meshwork-eu", "eu-secret-7")));
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void seedEventPublishedInUsEastIsDeliveredOnceToASubscriberInAsia() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(mesh.streamUrl("ap-southeast-1"))) {
            subscriber.subscribeMeshWide("com/codesprintpro/#");

            var response = new Publisher(mesh.httpUrl("us-east-1")).publishSeedEvent("evt_processes_1");

            assertThat(response.statusCode()).isEqualTo(202);
            EventEnvelope event = subscriber.awaitEvent("evt_processes_1");
            assertThat(event.getTopic()).isEqualTo("com/codesprintpro/order/created");
            assertThat(event.getRoutingPathList()).startsWith("us-east-1").endsWith("ap-southeast-1");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() ->
                    subscriber.events().stream().filter(e -> e.getEventId().equals("evt_processes_1")).count() == 1);
        }
    }

    @Test
    void aRegionWhoseKafkaRequiresScramTakesPartThroughTheKafkaKeysOfEveryServiceFile() throws Exception {
        // eu-west-1's cluster refuses clients without its SCRAM login: its edge, router and links,
        // us-east-1's push link into it and the control plane's feed all log in from their files.
        try (StreamClient subscriber = StreamClient.connect(mesh.streamUrl("eu-west-1"))) {
            subscriber.subscribeMeshWide("com/codesprintpro/#");

            var response = new Publisher(mesh.httpUrl("us-east-1")).publishSeedEvent("evt_processes_scram");

            assertThat(response.statusCode()).isEqualTo(202);
            EventEnvelope event = subscriber.awaitEvent("evt_processes_scram");
            assertThat(event.getRoutingPathList()).startsWith("us-east-1").endsWith("eu-west-1");
        }
        var published = new Publisher(mesh.httpUrl("eu-west-1")).publishSeedEvent("evt_processes_from_scram");
        assertThat(published.statusCode()).isEqualTo(202);
    }

    @Test
    void controlPlaneProcessSeesEveryRegionsRouterThroughItsKafkaFeeds() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String topology = HTTP.send(HttpRequest.newBuilder(URI.create(mesh.controlPlaneUrl() + "/v1/topology")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String region : mesh.topology().regionNames()) {
                assertThat(topology).contains("\"name\":\"" + region + "\"");
            }
            assertThat(topology.split("\"routerState\":\"UP\"", -1)).hasSizeGreaterThan(3);
        });
    }

    // Last: a killed router's region stops heartbeating while its tasks move, so its links flap for
    // a few seconds afterwards; the other tests expect a settled mesh.
    @Test
    @Order(Integer.MAX_VALUE)
    void killingOneOfTwoRoutersOfARegionMidStreamLosesAndDoublesNothing() throws Exception {
        MeshServiceProcess second = mesh.startRouter("us-east-1", 2);
        second.awaitLine("ROUTER READY", Duration.ofSeconds(120));
        try (StreamClient subscriber = StreamClient.connect(mesh.streamUrl("ap-southeast-1"))) {
            subscriber.subscribeMeshWide("failover/#");
            try (NumberedStream stream = NumberedStream.start(mesh.cluster("us-east-1").bootstrapServers(), "failover", 4, 50)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.sent() >= 200);
                // The instance to kill must hold part of the work, or the kill proves nothing.
                await("the second us-east-1 router to forward part of the stream").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).until(() -> forwardedBy(second, "us-east-1") > 0);

                second.kill();

                int atKill = stream.sent();
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.sent() >= atKill + 200);
                int published = stream.stop();

                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> Deliveries.of(subscriber.events(), "failover").total() >= published);
                assertThat(Deliveries.of(subscriber.events(), "failover").problems(published, 4)).isEmpty();
            }
        }
    }

    /** {@code mesh_link_events_total} of {@code region}, as the router process reports it on its {@code /metrics}. */
    private static double forwardedBy(MeshServiceProcess router, String region) throws Exception {
        Matcher port = METRICS_PORT.matcher(router.awaitLine("ROUTER READY", Duration.ofSeconds(1)));
        assertThat(port.find()).as("metrics port in the READY line of " + router.name()).isTrue();
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("mesh_link_events_total{") && line.contains("from=\"" + region + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
