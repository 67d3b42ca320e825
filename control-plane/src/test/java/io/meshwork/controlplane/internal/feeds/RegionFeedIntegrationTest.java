package io.meshwork.controlplane.internal.feeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.DatabaseSettings;
import io.meshwork.controlplane.TestDatabases;
import io.meshwork.core.directory.HeartbeatSender;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceEmitter;
import io.meshwork.core.trace.TraceHop;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Heartbeats and traces reach the control plane through the region's Kafka cluster, so a control
 * plane that was down catches up: what nodes wrote meanwhile is read from its committed offsets.
 */
@Tag("integration")
@Timeout(120)
class RegionFeedIntegrationTest {

    private static final String REGION = "us-east-1";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(ControlPlane plane, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static ControlPlane start(DatabaseSettings db, String bootstrap) {
        return ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(db).withRegionKafka(Map.of(REGION, KafkaClients.of(bootstrap))),
                TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), null, List.of());
    }

    @Test
    void aRestartedControlPlaneReadsWhatNodesWroteWhileItWasDown() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION))) {
            for (String topic : List.of(MeshKafkaTopics.HEARTBEATS, MeshKafkaTopics.TRACES, MeshKafkaTopics.INTEREST)) {
                kafka.createTopic(topic, 1, Map.of());
            }
            DatabaseSettings db = TestDatabases.fresh();
            try (HeartbeatSender edge = HeartbeatSender.start(KafkaClients.of(kafka.bootstrapServers()), "edge-feed-1", NodeRole.EDGE, REGION,
                    "http://127.0.0.1:1", () -> 3);
                 TraceEmitter traces = new TraceEmitter(KafkaClients.of(kafka.bootstrapServers()), REGION, "feed-test")) {
                try (ControlPlane plane = start(db, kafka.bootstrapServers())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> get(plane, "/v1/brokers?status=ACTIVE").body()
                            .contains("\"brokerName\":\"edge-feed-1\""));
                }
                // Written while no control plane runs.
                traces.emit(new TraceHop("while-down", "a/b", 3, REGION, "edge-feed-1", List.of(REGION), HopKind.PUBLISH, REGION,
                        "edge-feed-1", System.currentTimeMillis(), 2, null, false));
                try (ControlPlane plane = start(db, kafka.bootstrapServers())) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> get(plane, "/v1/traces/while-down").statusCode() == 200);
                    assertThat(get(plane, "/v1/traces/while-down").body()).contains("\"broker\":\"edge-feed-1\"");
                    assertThat(get(plane, "/v1/brokers?region=" + REGION).body()).contains("\"activeConnections\":3");
                }
            }
        }
    }
}
