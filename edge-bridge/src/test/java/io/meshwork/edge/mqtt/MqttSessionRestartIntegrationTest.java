package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.MqttSessionSettings;
import io.meshwork.edge.Publisher;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A persistent MQTT session survives a restart of its edge when the edge has a data directory
 * ({@code edge.mqtt.data.dir}): HiveMQ keeps it in files, and the restarted edge registers its
 * subscriptions with the mesh again before the client is back.
 */
@Tag("integration")
@Timeout(180)
class MqttSessionRestartIntegrationTest {

    private static final String REGION = "us-east-1";

    @TempDir
    Path dataDir;

    @Test
    void sessionSubscriptionsAndQueuedEventsSurviveAnEdgeRestart() throws Exception {
        String root = "lockers-" + UUID.randomUUID().toString().substring(0, 8);
        String clientId = "locker-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION))) {
            new TopicApplier(kafka.admin(), REGION).apply(TopicContract.embedded(REGION, List.of()).topics(),
                    TopicApplier.Mode.CREATE_MISSING);
            EdgeConfig config = EdgeConfig.defaults(REGION, kafka.bootstrapServers()).withHttp("127.0.0.1", 0).withMqtt(0)
                    .withMqttSessions(MqttSessionSettings.DEFAULTS.withDataDir(dataDir));
            try (EdgeBridge before = EdgeBridge.start(config)) {
                try (Mqtt5Session locker = new Mqtt5Session(before.port("MQTT").orElseThrow(), clientId)) {
                    locker.connect(true, 3600);
                    locker.subscribe(1, root + "/#");
                    locker.disconnect();
                }
                Publisher publisher = new Publisher("http://127.0.0.1:" + before.httpPort());
                assertThat(publisher.publishOn(root + "/door", "evt-queued", "queued-before-restart").statusCode()).isEqualTo(202);
                // Queued once the edge has handed it to the broker: the subscriber's own edge reads it back.
                awaitQueuedInBroker(before);
            }

            try (EdgeBridge after = EdgeBridge.start(config)) {
                InterestRecords.await(kafka.bootstrapServers(), after.edgeId(), root + "/#", true);
                Publisher publisher = new Publisher("http://127.0.0.1:" + after.httpPort());
                assertThat(publisher.publishOn(root + "/door", "evt-after", "published-after-restart").statusCode()).isEqualTo(202);

                try (Mqtt5Session locker = new Mqtt5Session(after.port("MQTT").orElseThrow(), clientId)) {
                    assertThat(locker.connect(false, 3600)).isTrue();
                    locker.awaitReceived(2);
                    assertThat(locker.payloads()).containsExactly("queued-before-restart", "published-after-restart");
                }
            }
        }
    }

    /** The event went through the edge's delivery (read back from mesh.events) before the edge stops. */
    private static void awaitQueuedInBroker(EdgeBridge edge) {
        await().atMost(Duration.ofSeconds(20)).until(() -> edge.deliveryRecordsRead() >= 1);
    }
}
