package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.mqtt.Mqtt3Session;
import io.meshwork.edge.mqtt.Mqtt5Session;
import io.meshwork.edge.mqtt.RawMqttSession;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Persistent MQTT sessions across regions on the embedded mesh (what {@code ./mesh up} runs, SUBACK
 * hold included): an offline session in eu-west-1 keeps its interest registered mesh-wide, so
 * events published in us-east-1 while its client is away are queued and delivered on reconnect.
 */
@Tag("integration")
@Timeout(300)
class MqttSessionsAcrossRegionsIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static EmbeddedMesh mesh;

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = SHARED.mesh();
    }

    private static int mqttPort(String region) {
        return URI.create(mesh.region(region).mqttUri()).getPort();
    }

    /**
     * QoS 1 and 2 events are kept for the offline session; QoS 0 ones may be (MQTT 3.1.2.4), and
     * HiveMQ does not keep them: events go out at their publish QoS.
     */
    private static void assertQueuedWhileOffline(java.util.function.Supplier<java.util.List<String>> payloads) {
        await().atMost(Duration.ofSeconds(30)).until(() -> payloads.get().containsAll(java.util.List.of("qos 1", "qos 2")));
        assertThat(payloads.get()).as("each once, QoS 0 optional").doesNotHaveDuplicates().isSubsetOf("qos 0", "qos 1", "qos 2");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void offlineMqtt5SessionInEuGetsQos1AndQos2EventsPublishedInUs() throws Exception {
        String root = unique("TopicA");
        try (Mqtt5Session away = new Mqtt5Session(mqttPort(EU), unique("myclientid"));
             Mqtt3Session publisher = new Mqtt3Session(mqttPort(US), unique("myclientid2"))) {
            away.connect(true, 300);
            away.subscribe(2, root + "/+");  // the SUBACK comes once every region routes for it
            away.disconnect();
            publisher.connect(true);

            publisher.publish(root + "/B", "qos 0", 0);
            publisher.publish(root + "/C", "qos 1", 1);
            publisher.publish(root + "/D", "qos 2", 2);

            // The events cross the us-east-1 -> eu-west-1 link and queue in the offline session.
            assertThat(away.connect(false, 300)).isTrue();
            assertQueuedWhileOffline(() -> away.received().stream().map(Mqtt5Session.Received::payload).toList());
        }
    }

    @Test
    void mqtt311SubscribeThenDisconnectWithoutWaitingForTheSubackStillQueuesEventsFromUs() throws Exception {
        String root = unique("TopicA");
        String clientId = unique("myclientid");
        try (Mqtt3Session away = new Mqtt3Session(mqttPort(EU), clientId);
             Mqtt3Session publisher = new Mqtt3Session(mqttPort(US), unique("myclientid2"))) {
            // The interoperability suite's client: SUBSCRIBE, then DISCONNECT at once (the SUBACK is held meanwhile).
            RawMqttSession raw = new RawMqttSession(mqttPort(EU), 4, clientId, false, 0);
            raw.subscribeNoWait(root + "/+", 2);
            raw.disconnect();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> mesh.router(US).regionsWanting(root + "/B").contains(EU));
            publisher.connect(true);

            publisher.publish(root + "/B", "qos 0", 0);
            publisher.publish(root + "/C", "qos 1", 1);
            publisher.publish(root + "/D", "qos 2", 2);

            away.connect(false);
            assertQueuedWhileOffline(() -> away.received().stream().map(Mqtt3Session.Received::payload).toList());
        }
    }
}
