package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.edge.EdgeOnKafka;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Persistent MQTT sessions on one region's edge, with real Paho v3 and v5 clients, modelled on the
 * Paho interoperability suite's "offline message queueing" and "redelivery on reconnect" cases:
 * every event still goes through {@code mesh.events} and back into the broker's session queue.
 */
@Tag("integration")
@Timeout(120)
class MqttPersistentSessionIntegrationTest {

    private static final Duration HOLD = Duration.ofSeconds(2);

    private static EdgeOnKafka fixture;
    private static int mqttPort;

    @BeforeAll
    static void startEdge() throws Exception {
        // As ./mesh up does, the SUBACK waits for the subscription to be active in every region;
        // with no router here, for the whole hold.
        fixture = EdgeOnKafka.start("us-east-1", config -> config.withMqtt(0).withMqttSubackHold(HOLD));
        mqttPort = fixture.edge.port("MQTT").orElseThrow();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void mqtt311SessionGetsQos0AndQos1EventsPublishedWhileItWasOffline() throws Exception {
        String root = unique("TopicA");
        try (Mqtt3Session away = new Mqtt3Session(mqttPort, unique("myclientid"));
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("myclientid2"))) {
            assertThat(away.connect(false)).isFalse();
            away.subscribe(2, root + "/+");
            away.disconnect();

            publisher.publish(root + "/B", "qos 0", 0, false);
            publisher.publish(root + "/C", "qos 1", 1, false);

            assertThat(away.connect(false)).isTrue();
            assertThat(away.awaitReceived(2)).extracting(Mqtt3Session.Received::payload)
                    .containsExactlyInAnyOrder("qos 0", "qos 1");
        }
    }

    @Test
    void mqtt5SessionWithExpiryGetsQos0AndQos1EventsPublishedWhileItWasOffline() throws Exception {
        String root = unique("TopicA");
        try (Mqtt5Session away = new Mqtt5Session(mqttPort, unique("myclientid"));
             Mqtt5Session publisher = new Mqtt5Session(mqttPort, unique("myclientid2"))) {
            assertThat(away.connect(true, 99_999)).isFalse();
            away.subscribe(2, root + "/+");
            away.disconnect();
            publisher.connect(true, 0);

            publisher.publish(root + "/B", "qos 0", 0);
            publisher.publish(root + "/C", "qos 1", 1);

            assertThat(away.connect(false, 99_999)).isTrue();
            assertThat(away.awaitReceived(2)).extracting(Mqtt5Session.Received::payload)
                    .containsExactlyInAnyOrder("qos 0", "qos 1");
        }
    }

    @Test
    void mqtt311UnacknowledgedEventsAreRedeliveredOnReconnect() throws Exception {
        String root = unique("TopicA");
        try (Mqtt3Session paused = new Mqtt3Session(mqttPort, unique("myclientid2"))) {
            paused.connect(false);
            paused.subscribe(2, root + "/#");
            paused.holdAcks(true);
            paused.publish(root + "/B", "", 1);
            paused.publish(root + "/C", "second", 1);
            paused.awaitReceived(1);
            paused.disconnect();
            paused.clear();
            paused.holdAcks(false);

            assertThat(paused.connect(false)).isTrue();

            assertThat(paused.awaitReceived(2)).extracting(Mqtt3Session.Received::payload).containsExactlyInAnyOrder("", "second");
        }
    }

    @Test
    void mqtt5UnacknowledgedEventsAreRedeliveredOnReconnect() throws Exception {
        String root = unique("TopicA");
        try (Mqtt5Session paused = new Mqtt5Session(mqttPort, unique("myclientid2"))) {
            paused.connect(true, 99_999);
            paused.subscribe(2, root + "/#");
            paused.holdAcks(true);
            paused.publish(root + "/B", "", 1);
            paused.publish(root + "/C", "second", 1);
            paused.awaitReceived(1);
            paused.disconnect();
            paused.clear();
            paused.holdAcks(false);

            assertThat(paused.connect(false, 99_999)).isTrue();

            assertThat(paused.awaitReceived(2)).extracting(Mqtt5Session.Received::payload).containsExactlyInAnyOrder("", "second");
        }
    }

    @Test
    void mqtt311SubscriptionSentJustBeforeADisconnectIsKeptBySession() throws Exception {
        String root = unique("TopicA");
        String clientId = unique("myclientid");
        try (Mqtt3Session away = new Mqtt3Session(mqttPort, clientId);
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("myclientid2"))) {
            RawMqttSession raw = new RawMqttSession(mqttPort, 4, clientId, false, 0);
            raw.subscribeNoWait(root + "/+", 2);
            raw.disconnect();

            publisher.publish(root + "/B", "qos 0", 0, false);
            publisher.publish(root + "/C", "qos 1", 1, false);

            away.connect(false);
            assertThat(away.awaitReceived(2)).extracting(Mqtt3Session.Received::payload)
                    .containsExactlyInAnyOrder("qos 0", "qos 1");
        }
    }

    @Test
    void mqtt5SubscriptionSentJustBeforeADisconnectIsKeptBySession() throws Exception {
        String root = unique("TopicA");
        String clientId = unique("myclientid");
        try (Mqtt5Session away = new Mqtt5Session(mqttPort, clientId);
             Mqtt5Session publisher = new Mqtt5Session(mqttPort, unique("myclientid2"))) {
            RawMqttSession raw = new RawMqttSession(mqttPort, 5, clientId, true, 99_999);
            raw.subscribeNoWait(root + "/+", 2);
            raw.disconnect();
            publisher.connect(true, 0);

            publisher.publish(root + "/B", "qos 0", 0);
            publisher.publish(root + "/C", "qos 1", 1);

            away.connect(false, 99_999);
            assertThat(away.awaitReceived(2)).extracting(Mqtt5Session.Received::payload)
                    .containsExactlyInAnyOrder("qos 0", "qos 1");
        }
    }
}
