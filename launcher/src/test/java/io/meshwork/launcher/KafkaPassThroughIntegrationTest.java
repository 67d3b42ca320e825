package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.connectors.links.LinksKeys;
import io.meshwork.connectors.links.RegionLinks;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterKeys;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code kafka.*} key reaches every client of a service (producers, consumers, admin clients,
 * Kafka Streams), and a {@code links.neighbours.<region>.kafka.*} key reaches the far side of a
 * link. The key is {@code metric.reporters}: Kafka hands every client it builds to the reporter,
 * with the client's id, so the reporter sees which clients got the setting.
 */
@Tag("integration")
class KafkaPassThroughIntegrationTest {

    /** Client ids of the clients built with the region's own settings. */
    static final Set<String> NEAR = ConcurrentHashMap.newKeySet();
    /** Client ids of the clients built with the neighbour's settings. */
    static final Set<String> FAR = ConcurrentHashMap.newKeySet();

    /** Set through {@code kafka.metric.reporters}. */
    public static final class Near extends Recording {
        public Near() {
            super(NEAR);
        }
    }

    /** Set through {@code links.neighbours.eu-west-1.kafka.metric.reporters}. */
    public static final class Far extends Recording {
        public Far() {
            super(FAR);
        }
    }

    private abstract static class Recording implements MetricsReporter {
        private final Set<String> clients;

        Recording(Set<String> clients) {
            this.clients = clients;
        }

        @Override
        public void configure(Map<String, ?> configs) {
            clients.add(String.valueOf(configs.get("client.id")));
        }

        @Override
        public void init(List<KafkaMetric> metrics) {
        }

        @Override
        public void metricChange(KafkaMetric metric) {
        }

        @Override
        public void metricRemoval(KafkaMetric metric) {
        }

        @Override
        public void close() {
        }
    }

    @TempDir
    Path dir;

    @Test
    void kafkaKeysReachEveryClientOfAServiceAndTheFarSideOfALink() throws Exception {
        Path topologyFile = dir.resolve("topology.yaml");
        Files.writeString(topologyFile, """
                mesh: pass-through
                controlPlane: {port: 8080}
                regions:
                  - name: us-east-1
                    ports: { kafka: 19092, http: 18080, grpc: 18090, mqtt: 11883 }
                  - name: eu-west-1
                    ports: { kafka: 29092, http: 28080, grpc: 28090, mqtt: 21883 }
                links:
                  - between: [us-east-1, eu-west-1]
                    rttMs: 70
                """);
        Topology topology = TopologyLoader.load(topologyFile);
        try (EmbeddedKafkaCluster us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("us-east-1"));
             EmbeddedKafkaCluster eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named("eu-west-1"))) {
            new TopicApplier(us.admin(), "us-east-1").apply(TopicContract.embedded("us-east-1", List.of("eu-west-1")).topics(), TopicApplier.Mode.CREATE_MISSING);
            new TopicApplier(eu.admin(), "eu-west-1").apply(TopicContract.embedded("eu-west-1", List.of("us-east-1")).topics(), TopicApplier.Mode.CREATE_MISSING);
            Map<String, String> common = Map.of(
                    MeshKeys.REGION, "us-east-1",
                    "kafka.bootstrap.servers", us.bootstrapServers(),
                    "kafka.metric.reporters", Near.class.getName());

            MeshRouter router = MeshRouter.start(RouterKeys.build(EmbeddedConfigs.of(RouterKeys.schema(), common),
                    topology.neighbours("us-east-1"), topology.links(), dir.resolve("router")), Duration.ofSeconds(60));
            Map<String, String> links = new java.util.HashMap<>(common);
            links.put("links.neighbours.eu-west-1.kafka.bootstrap.servers", eu.bootstrapServers());
            links.put("links.neighbours.eu-west-1.kafka.metric.reporters", Far.class.getName());
            RegionLinks running = LinksKeys.build(EmbeddedConfigs.of(LinksKeys.schema(), links), List.of("eu-west-1"))
                    .start(Duration.ofSeconds(60));
            Map<String, String> edge = new java.util.HashMap<>(common);
            edge.putAll(Map.of(EdgeKeys.HTTP_PORT, "0", EdgeKeys.GRPC_PORT, "-1", EdgeKeys.MQTT_PORT, "-1"));
            EdgeBridge bridge = EdgeBridge.start(EdgeKeys.build(EmbeddedConfigs.of(EdgeKeys.schema(), edge),
                    Set.copyOf(topology.regionNames())));
            try {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(NEAR).as("edge publisher (producer)").contains("edge-us-east-1");
                    assertThat(NEAR).as("edge delivery (consumer)").contains("edge-delivery-us-east-1");
                    assertThat(NEAR).as("admin clients").anyMatch(id -> id.startsWith("adminclient-"));
                    assertThat(NEAR).as("Kafka Streams").anyMatch(id -> id.startsWith("meshwork-router-us-east-1"));
                    assertThat(FAR).as("push link producer into eu-west-1").contains("meshwork-link-us-east-1->eu-west-1");
                    assertThat(FAR).as("control channel consumer of eu-west-1").contains("meshwork-control-eu-west-1->us-east-1");
                });
                assertThat(FAR).as("the neighbour's settings stay with the neighbour's clients")
                        .doesNotContain("edge-us-east-1", "edge-delivery-us-east-1");
            } finally {
                bridge.close();
                running.close();
                router.close();
            }
        }
    }
}
