package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeOnKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.packet.MqttPubAck;
import org.eclipse.paho.mqttv5.common.packet.MqttSubAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad MQTT input gets a protocol-level answer (SUBACK/PUBACK failure codes with reasons for
 * MQTT 5, 0x80 or a closed connection for MQTT 3.1.1) and nothing it carried reaches the mesh.
 */
@Tag("integration")
@Timeout(120)
class MqttBadInputIntegrationTest {

    private static EdgeOnKafka fixture;
    private static int mqttPort;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("eu-west-1", config -> config.withMqtt(0));
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
    void refusedMqtt311PublishClosesTheConnection() throws Exception {
        try (Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("pub3"))) {
            publisher.publishNoWait("a" + "/a".repeat(40), "too deep", 1, false);

            await().atMost(Duration.ofSeconds(20)).until(() -> !publisher.isConnected());
        }
    }

    @Test
    void invalidFilterGetsSubackFailureWhileOtherSubscriptionsKeepWorking() throws Exception {
        String good = unique("alerts") + "/#";
        String tooDeep = "a" + "/a".repeat(40);
        try (Mqtt5Client mqtt5 = Mqtt5Client.connect(mqttPort, unique("sub5"));
             Mqtt3Client mqtt3 = Mqtt3Client.connect(mqttPort, unique("sub3"))) {
            IMqttToken suback = mqtt5.subscribe(good, tooDeep);
            assertThat(suback.getReasonCodes()).containsExactly(1, 0x8F);
            assertThat(((MqttSubAck) suback.getResponse()).getProperties().getReasonString()).contains("levels");
            assertThat(mqtt3.subscribe(tooDeep, good)).containsExactly(0x80, 1);

            mqtt3.publish(good.replace("#", "disk"), "disk-full", 1, false);

            mqtt5.awaitPayload("disk-full");
            mqtt3.awaitPayload("disk-full");
            assertThat(mqtt5.isConnected()).isTrue();
            assertThat(mqtt3.isConnected()).isTrue();
        }
    }

    @Test
    void deliveryPolicyTheListenerCannotHonourGetsSubackFailureNamingTheProperty() throws Exception {
        String topic = unique("policy") + "/#";
        try (Mqtt5Client mqtt5 = Mqtt5Client.connect(mqttPort, unique("sub5"))) {
            IMqttToken unknown = mqtt5.subscribe(topic, Map.of("delivery-policy", "newest-only"));
            assertThat(unknown.getReasonCodes()).containsExactly(0x83);
            assertThat(((MqttSubAck) unknown.getResponse()).getProperties().getReasonString())
                    .startsWith("delivery-policy: unknown delivery-policy 'newest-only'");
            // This edge's session queues drop the newest message (edge.mqtt.queue.overflow=discard).
            IMqttToken dropOldest = mqtt5.subscribe(topic, Map.of("delivery-policy", "drop-oldest"));
            assertThat(dropOldest.getReasonCodes()).containsExactly(0x83);
            assertThat(((MqttSubAck) dropOldest.getResponse()).getProperties().getReasonString())
                    .contains("edge.mqtt.queue.overflow=discard");

            assertThat(mqtt5.subscribe(topic, Map.of()).getReasonCodes()).containsExactly(1);
            assertThat(mqtt5.isConnected()).isTrue();
        }
    }

    @Test
    void busyPortFailsTheEdgeStartNamingIt() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            EdgeConfig config = EdgeConfig.defaults("ap-southeast-1", fixture.kafka.bootstrapServers())
                    .withHttp("127.0.0.1", 0).withMqtt(busy.getLocalPort());

            assertThatThrownBy(() -> EdgeBridge.start(config).close())
                    .hasMessageContaining("MQTT listener could not start on 127.0.0.1:" + busy.getLocalPort());
        }
    }

    @Test
    void malformedFilterIsAnsweredByHiveMqWithDisconnect() throws Exception {
        // Paho refuses to send it; MQTT calls it a malformed packet, HiveMQ closes with 0x8F.
        try (RawMqtt5 raw = new RawMqtt5(mqttPort, unique("raw5"))) {
            assertThat(raw.subscribe("a/#/b")).isEqualTo("DISCONNECT 8f");
        }
    }

    @Test
    void invalidUserPropertyIsRefusedWithAReasonAndTheConnectionStays() throws Exception {
        String topic = unique("metrics");
        try (Mqtt5Client publisher = Mqtt5Client.connect(mqttPort, unique("pub5"))) {
            // A ce- prefix asks for a CloudEvents attribute, whose name allows only a-z and 0-9.
            IMqttToken ack = publisher.publish(topic, "x", 1, false, Map.of("ce-bad_name", "v"), null);

            assertThat(ack.getReasonCodes()).containsExactly(0x83);
            assertThat(((MqttPubAck) ack.getResponse()).getProperties().getReasonString()).contains("ce-bad_name");
            assertThat(publisher.publish(topic, "y").getReasonCodes()).containsExactly(0);
            assertThat(publisher.isConnected()).isTrue();
        }
    }

    @Test
    void retainedPublishOnAnInvalidTopicIsRefusedAsTheSpecificationSaysAndNothingIsKept() throws Exception {
        String prefix = unique("config");
        try (Mqtt5Client mqtt5 = Mqtt5Client.connect(mqttPort, unique("pub5"));
             Mqtt3Client mqtt3 = Mqtt3Client.connect(mqttPort, unique("pub3"));
             RawMqtt5 raw = new RawMqtt5(mqttPort, unique("raw5"))) {
            assertThat(mqtt5.connack().isRetainAvailable()).isTrue();
            assertThat(mqtt5.connack().getMaximumQoS()).as("absent: QoS 2 (MQTT 5 §3.2.2.3.4)").isNull();

            // A wildcard in a topic name (MQTT-3.3.2-2): HiveMQ disconnects with 0x90 Topic Name invalid.
            raw.publishRetained(prefix + "/+/x", "wildcard");
            assertThat(raw.awaitDisconnectReason()).isEqualTo(0x90);
            // A name the mesh refuses (too deep): MQTT 5 PUBACK 0x90 naming the problem, the connection stays.
            String tooDeep = prefix + "/a".repeat(40);
            IMqttToken refused = mqtt5.publish(tooDeep, "too deep", 1, true, Map.of(), null);
            assertThat(refused.getReasonCodes()).containsExactly(0x90);
            assertThat(mqtt5.isConnected()).isTrue();
            // MQTT 3.1.1 has no negative PUBACK: the connection is closed.
            mqtt3.publishNoWait(tooDeep, "too deep 3", 1, true);
            await().atMost(Duration.ofSeconds(20)).until(() -> !mqtt3.isConnected());

            mqtt5.publish(prefix + "/ok", "marker", 1, true, Map.of(), null);
            try (Mqtt5Client later = Mqtt5Client.connect(mqttPort, unique("later5"))) {
                later.subscribe(prefix + "/#");
                later.awaitPayload("marker");
                assertThat(later.payloads()).as("only the valid retained publish was kept").containsExactly("marker");
            }
        }
    }
}
