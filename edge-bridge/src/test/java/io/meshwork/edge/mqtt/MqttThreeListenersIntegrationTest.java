package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.Publisher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three MQTT listeners in one JVM (three edges on one Kafka cluster, as the embedded mesh runs
 * three regions in one process). HiveMQ's {@code Services} is static and belongs to the broker
 * started last; each listener must still publish into, and count sessions of, its own broker.
 */
@Tag("integration")
@Timeout(180)
class MqttThreeListenersIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EdgeOnKafka fixture;
    private static final List<EdgeBridge> edges = new ArrayList<>();

    @BeforeAll
    static void startEdges() throws Exception {
        fixture = EdgeOnKafka.start("us-east-1", config -> config.withMqtt(0));
        edges.add(fixture.edge);
        for (String region : List.of("eu-west-1", "ap-southeast-1")) {
            edges.add(EdgeBridge.start(EdgeConfig.defaults(region, fixture.kafka.bootstrapServers())
                    .withHttp("127.0.0.1", 0).withMqtt(0)));
        }
    }

    @AfterAll
    static void stopEdges() throws Exception {
        for (int i = edges.size() - 1; i > 0; i--) {
            edges.get(i).close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int mqttPort(int edge) {
        return edges.get(edge).port("MQTT").orElseThrow();
    }

    private static int subscriptionPatterns(int edge) throws Exception {
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edges.get(edge).httpPort() + "/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(health.body()).get("subscriptionPatterns").asInt();
    }

    @Test
    void eachListenerDeliversToItsOwnClientsOnly() throws Exception {
        String root = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(edges).extracting(edge -> edge.port("MQTT").orElseThrow()).doesNotHaveDuplicates();
        List<Mqtt5Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Mqtt5Client client = Mqtt5Client.connect(mqttPort(i), "truck-" + i);
                client.subscribe(root + "/" + i);
                clients.add(client);
            }
            Publisher http = new Publisher("http://127.0.0.1:" + edges.get(0).httpPort());
            for (int i = 0; i < 3; i++) {
                assertThat(http.publishOn(root + "/" + i, "evt-" + root + "-" + i, "http-" + i).statusCode()).isEqualTo(202);
            }
            // Published at the broker started first, delivered by the one started last, and back.
            try (Mqtt3Client first = Mqtt3Client.connect(mqttPort(0), "dispatch-0");
                 Mqtt3Client last = Mqtt3Client.connect(mqttPort(2), "dispatch-2")) {
                first.publish(root + "/2", "mqtt-to-2", 1, false);
                last.publish(root + "/0", "mqtt-to-0", 1, false);
            }

            clients.get(0).awaitPayload("mqtt-to-0");
            clients.get(2).awaitPayload("mqtt-to-2");
            clients.get(1).awaitPayload("http-1");
            assertThat(clients.get(0).payloads()).containsExactly("http-0", "mqtt-to-0");
            assertThat(clients.get(1).payloads()).containsExactly("http-1");
            assertThat(clients.get(2).payloads()).containsExactly("http-2", "mqtt-to-2");
            // The HTTP event carries its CloudEvents attributes; the MQTT 3.1.1 one had no user properties to give back.
            assertThat(clients.get(1).received().get(0).userProperties()).containsEntry("id", "evt-" + root + "-1");
            assertThat(clients.get(2).received().get(1).userProperties()).isEmpty();

            int before = subscriptionPatterns(1);
            clients.get(1).close();
            await().atMost(Duration.ofSeconds(20)).until(() -> subscriptionPatterns(1) == before - 1);
            assertThat(subscriptionPatterns(0)).isPositive();
            assertThat(subscriptionPatterns(2)).isPositive();
        } finally {
            for (Mqtt5Client client : clients) {
                client.close();
            }
        }
    }
}
