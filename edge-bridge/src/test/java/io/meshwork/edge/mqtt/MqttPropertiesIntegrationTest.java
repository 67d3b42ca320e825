package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeOnKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 message properties and subscription options through one region's edge (real Paho
 * clients, real Kafka): what a publisher sends is what a subscriber gets (MQTT 5 section 3.3.2.3),
 * whatever the mesh did in between.
 */
@Tag("integration")
@Timeout(120)
class MqttPropertiesIntegrationTest {

    private static EdgeOnKafka fixture;
    private static int mqttPort;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("us-east-1", config -> config.withMqtt(0));
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

    static List<UserProperty> userProperties(String... namesAndValues) {
        UserProperty[] properties = new UserProperty[namesAndValues.length / 2];
        for (int i = 0; i < properties.length; i++) {
            properties[i] = new UserProperty(namesAndValues[2 * i], namesAndValues[2 * i + 1]);
        }
        return List.of(properties);
    }

    static MqttMessage message(String payload, MqttProperties properties) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setProperties(properties);
        return message;
    }

    /** Every message property MQTT 5 lets a publisher set that a receiver must get (3.3.2.3.2 - 3.3.2.3.9). */
    static MqttProperties everyProperty(String responseTopic, byte[] correlation, long expiry) {
        MqttProperties properties = new MqttProperties();
        properties.setPayloadFormat(true);
        properties.setMessageExpiryInterval(expiry);
        properties.setContentType("text/plain; charset=utf-8");
        properties.setResponseTopic(responseTopic);
        properties.setCorrelationData(correlation);
        properties.setUserProperties(userProperties("b", "2", "a", "1", "b", "3", "Content-Language", "en", "type", "reading"));
        return properties;
    }

    @Test
    void publishedPropertiesComeBackExactlyWithoutTheMeshsAttributes() throws Exception {
        String topic = unique("props") + "/exact";
        try (Mqtt5Recorder subscriber = Mqtt5Recorder.connect(mqttPort, unique("sub"));
             Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("pub"))) {
            subscriber.subscribe(topic);

            publisher.publish(topic, message("exact", everyProperty("replies/42", new byte[] {0, 1, (byte) 0xfe}, 300)));

            MqttProperties received = subscriber.awaitPayload("exact").properties();
            assertThat(received.getUserProperties())
                    .containsExactlyElementsOf(userProperties("b", "2", "a", "1", "b", "3", "Content-Language", "en", "type", "reading"));
            assertThat(received.getPayloadFormat()).isTrue();
            assertThat(received.getContentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(received.getResponseTopic()).isEqualTo("replies/42");
            assertThat(received.getCorrelationData()).containsExactly(0, 1, 0xfe);
            assertThat(received.getMessageExpiryInterval()).isBetween(295L, 300L);
        }
    }

    @Test
    void aMessageWithoutPropertiesComesBackWithoutAny() throws Exception {
        String topic = unique("props") + "/bare";
        try (Mqtt5Recorder subscriber = Mqtt5Recorder.connect(mqttPort, unique("sub"));
             Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("pub"))) {
            subscriber.subscribe(topic);

            publisher.publish(topic, message("bare", new MqttProperties()));

            MqttProperties received = subscriber.awaitPayload("bare").properties();
            assertThat(received.getUserProperties()).isEmpty();
            assertThat(received.getContentType()).isNull();
            assertThat(received.getResponseTopic()).isNull();
            assertThat(received.getCorrelationData()).isNull();
            assertThat(received.getMessageExpiryInterval()).isNull();
            assertThat(received.getPayloadFormat()).isFalse();
        }
    }

    @Test
    void theMeshsAttributesComeOnlyToASubscriberThatAsksForThem() throws Exception {
        String topic = unique("props") + "/asked";
        try (Mqtt5Recorder plain = Mqtt5Recorder.connect(mqttPort, unique("plain"));
             Mqtt5Recorder asking = Mqtt5Recorder.connect(mqttPort, unique("asking"));
             Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("pub"))) {
            plain.subscribe(topic);
            MqttProperties ask = new MqttProperties();
            ask.setUserProperties(userProperties("mesh-attributes", "true"));
            asking.subscribe(new MqttSubscription(topic, 1), ask);
            MqttProperties properties = new MqttProperties();
            properties.setUserProperties(userProperties("tenant", "acme"));

            publisher.publish(topic, message("asked", properties));

            assertThat(plain.awaitPayload("asked").properties().getUserProperties()).containsExactlyElementsOf(userProperties("tenant", "acme"));
            List<UserProperty> withAttributes = asking.awaitPayload("asked").properties().getUserProperties();
            assertThat(withAttributes.get(0)).isEqualTo(new UserProperty("tenant", "acme"));
            assertThat(withAttributes).extracting(UserProperty::getKey)
                    .contains("id", "source", "type", "specversion", "meshtopic", "mesh-routing-path")
                    .doesNotContain("mesh-delivery", "mqttuserproperties", "mqttclientid")
                    .containsOnlyOnce("tenant");
            assertThat(withAttributes).contains(new UserProperty("mesh-routing-path", "us-east-1"));
        }
    }

    @Test
    void noLocalSubscriptionDoesNotGetItsClientsOwnMessages() throws Exception {
        String topic = unique("chat") + "/room";
        try (Mqtt5Recorder self = Mqtt5Recorder.connect(mqttPort, unique("self"));
             Mqtt5Recorder other = Mqtt5Recorder.connect(mqttPort, unique("other"))) {
            MqttSubscription noLocal = new MqttSubscription(topic, 1);
            noLocal.setNoLocal(true);
            self.subscribe(noLocal, new MqttProperties());
            other.subscribe(topic);

            self.publish(topic, message("own", new MqttProperties()));
            other.awaitPayload("own");
            other.publish(topic, message("from-other", new MqttProperties()));

            self.awaitPayload("from-other");
            assertThat(self.payloads()).containsExactly("from-other");
        }
    }

    @Test
    void anOverlappingSubscriptionWithoutNoLocalStillGetsTheClientsOwnMessages() throws Exception {
        String root = unique("chat");
        try (Mqtt5Recorder self = Mqtt5Recorder.connect(mqttPort, unique("self"))) {
            MqttSubscription noLocal = new MqttSubscription(root + "/room", 1);
            noLocal.setNoLocal(true);
            self.subscribe(noLocal, new MqttProperties());
            self.subscribe(root + "/#");

            self.publish(root + "/room", message("own", new MqttProperties()));

            self.awaitPayload("own");
        }
    }

    @Test
    void queuedMessageExpiresInTheSessionAndTheRemainingIntervalCountsDown() throws Exception {
        String topic = unique("props") + "/queued";
        String clientId = unique("away");
        try (Mqtt5Recorder away = Mqtt5Recorder.connect(mqttPort, clientId, options -> options.setSessionExpiryInterval(600L))) {
            away.subscribe(topic);
        }
        try (Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("pub"))) {
            MqttProperties shortLived = new MqttProperties();
            shortLived.setMessageExpiryInterval(1L);
            MqttProperties longLived = new MqttProperties();
            longLived.setMessageExpiryInterval(600L);
            publisher.publish(topic, message("short", shortLived));
            publisher.publish(topic, message("long", longLived));
        }
        long published = System.currentTimeMillis();
        // MQTT 5 section 3.3.2.3.3: the server must not deliver it once its interval has passed.
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() - published > 2_100);

        try (Mqtt5Recorder back = Mqtt5Recorder.connect(mqttPort, clientId, options -> {
            options.setCleanStart(false);
            options.setSessionExpiryInterval(0L);
        })) {
            MqttProperties received = back.awaitPayload("long").properties();
            assertThat(received.getMessageExpiryInterval()).isBetween(590L, 598L);
            assertThat(back.payloads()).containsExactly("long");
        }
    }

    @Test
    void willKeepsItsUserPropertiesAndMessageProperties() throws Exception {
        String topic = unique("wills") + "/gone";
        try (Mqtt5Recorder subscriber = Mqtt5Recorder.connect(mqttPort, unique("sub"))) {
            subscriber.subscribe(topic);
            Mqtt5Recorder dying = Mqtt5Recorder.connect(mqttPort, unique("dying"), options -> {
                options.setWill(topic, new MqttMessage("last words".getBytes(StandardCharsets.UTF_8), 1, false, null));
                options.setWillMessageProperties(everyProperty("replies/will", new byte[] {7}, 120));
            });
            // DISCONNECT 0x04: "disconnect with will message", so the will is due at once.
            dying.client().disconnect(5_000, null, null, 0x04, new MqttProperties()).waitForCompletion(Mqtt5Client.WAIT_MS);
            dying.client().close();

            MqttProperties will = subscriber.awaitPayload("last words").properties();
            assertThat(will.getUserProperties())
                    .containsExactlyElementsOf(userProperties("b", "2", "a", "1", "b", "3", "Content-Language", "en", "type", "reading"));
            assertThat(will.getContentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(will.getPayloadFormat()).isTrue();
            assertThat(will.getResponseTopic()).isEqualTo("replies/will");
            assertThat(will.getCorrelationData()).containsExactly(7);
            // MQTT 5 section 3.1.3.2.4: the will's expiry is sent as its publication expiry interval.
            assertThat(will.getMessageExpiryInterval()).isBetween(115L, 120L);
        }
    }

    @Test
    void aDeliveryOverTheClientsMaximumPacketSizeIsSkippedAndTheConnectionStays() throws Exception {
        String topic = unique("props") + "/small";
        try (Mqtt5Recorder small = Mqtt5Recorder.connect(mqttPort, unique("small"), options -> options.setMaximumPacketSize(256L));
             Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("pub"))) {
            small.subscribe(topic);

            publisher.publish(topic, message("x".repeat(1_000), new MqttProperties()));
            publisher.publish(topic, message("fits", new MqttProperties()));

            small.awaitPayload("fits");
            // MQTT 5 section 3.1.2.25: the server discards what the client cannot take.
            assertThat(small.payloads()).containsExactly("fits");
            assertThat(small.isConnected()).isTrue();
        }
    }
}
