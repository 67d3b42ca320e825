package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.edge.EdgeOnKafka;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 5 limits and their bad input through the edge, as HiveMQ CE answers them: topic aliases
 * (3.3.2.3.4), receive maximum (3.3.4), maximum packet size (3.1.2.24), keep alive (3.1.2.10).
 * A client that breaks one is disconnected with the reason code MQTT gives; the edge and
 * everyone else's subscriptions carry on.
 */
@Tag("integration")
@Timeout(120)
class MqttProtocolLimitsIntegrationTest {

    private static final int TOPIC_ALIAS = 0x23;
    private static final int RECEIVE_MAXIMUM = 0x21;

    private static EdgeOnKafka fixture;
    private static int mqttPort;
    private static MqttProperties connack;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("ap-southeast-1", config -> config.withMqtt(0));
        mqttPort = fixture.edge.port("MQTT").orElseThrow();
        try (Mqtt5Client probe = Mqtt5Client.connect(mqttPort, unique("probe"))) {
            connack = probe.connack();
        }
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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The edge still delivers between other clients. */
    private static void assertOthersUnaffected(String topic, Mqtt5Recorder subscriber) throws Exception {
        try (Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("other"))) {
            publisher.publish(topic, MqttPropertiesIntegrationTest.message("still-up", new MqttProperties()));
            subscriber.awaitPayload("still-up");
        }
    }

    @Test
    void aTopicAliasSetByThePublisherIsResolvedToItsTopic() throws Exception {
        String topic = unique("alias") + "/set";
        assertThat(connack.getTopicAliasMaximum()).isPositive();
        try (Mqtt5Recorder subscriber = Mqtt5Recorder.connect(mqttPort, unique("sub"));
             RawMqtt5Session publisher = new RawMqtt5Session(mqttPort, unique("raw"), 60, new byte[0])) {
            subscriber.subscribe(topic);

            publisher.publish(1, 1, topic, RawMqtt5Session.u16Property(TOPIC_ALIAS, 1), utf8("named"));
            publisher.next(RawMqtt5Session.PUBACK);
            publisher.publish(1, 2, "", RawMqtt5Session.u16Property(TOPIC_ALIAS, 1), utf8("aliased"));
            publisher.next(RawMqtt5Session.PUBACK);

            assertThat(subscriber.awaitPayload("aliased").topic()).isEqualTo(topic);
        }
    }

    @Test
    void aTopicAliasOutOfRangeEndsThatConnectionWith0x94AndNothingElse() throws Exception {
        String topic = unique("alias") + "/bad";
        try (Mqtt5Recorder subscriber = Mqtt5Recorder.connect(mqttPort, unique("sub"));
             RawMqtt5Session publisher = new RawMqtt5Session(mqttPort, unique("raw"), 60, new byte[0])) {
            subscriber.subscribe(topic);

            publisher.publish(1, 1, topic, RawMqtt5Session.u16Property(TOPIC_ALIAS, connack.getTopicAliasMaximum() + 1), utf8("x"));

            assertThat(publisher.awaitDisconnectReason()).isEqualTo(0x94); // topic alias invalid
            assertOthersUnaffected(topic, subscriber);
            assertThat(subscriber.payloads()).containsExactly("still-up");
        }
    }

    @Test
    void aPacketOverTheMaximumSizeEndsThatConnectionWith0x95AndNothingElse() throws Exception {
        String topic = unique("size") + "/big";
        long maximum = connack.getMaximumPacketSize();
        assertThat(maximum).isGreaterThan(1024L * 1024);
        try (Mqtt5Recorder subscriber = Mqtt5Recorder.connect(mqttPort, unique("sub"));
             RawMqtt5Session publisher = new RawMqtt5Session(mqttPort, unique("raw"), 60, new byte[0])) {
            subscriber.subscribe(topic);

            publisher.publish(0, 0, topic, new byte[0], new byte[(int) maximum]);

            assertThat(publisher.awaitDisconnectReason()).isEqualTo(0x95); // packet too large
            assertOthersUnaffected(topic, subscriber);
            assertThat(subscriber.payloads()).containsExactly("still-up");
        }
    }

    @Test
    void receiveMaximumBoundsTheDeliveriesAwaitingTheClientsAck() throws Exception {
        String topic = unique("flow") + "/one";
        try (RawMqtt5Session subscriber = new RawMqtt5Session(mqttPort, unique("raw"), 60,
                RawMqtt5Session.u16Property(RECEIVE_MAXIMUM, 1));
             Mqtt5Recorder publisher = Mqtt5Recorder.connect(mqttPort, unique("pub"))) {
            assertThat(subscriber.subscribe(topic)).isEqualTo(1);

            publisher.publish(topic, MqttPropertiesIntegrationTest.message("first", new MqttProperties()));
            publisher.publish(topic, MqttPropertiesIntegrationTest.message("second", new MqttProperties()));

            RawMqtt5Session.Packet first = subscriber.next(RawMqtt5Session.PUBLISH);
            assertThat(first.payload()).isEqualTo("first");
            // MQTT 5 section 3.3.4: no more unacknowledged QoS 1 PUBLISHes than the client's receive maximum.
            assertThat(subscriber.poll(1_500)).isNull();
            subscriber.puback(first.packetId());
            assertThat(subscriber.next(RawMqtt5Session.PUBLISH).payload()).isEqualTo("second");
        }
    }

    @Test
    void theClientsKeepAliveStandsSoTheConnackHasNoServerKeepAlive() {
        // MQTT 5 section 3.2.2.3.14: sent only when the server overrides the client's keep alive (60 s here).
        assertThat(connack.getServerKeepAlive()).isNull();
    }

    @Test
    void aSilentClientIsDisconnectedOnceOneAndAHalfKeepAlivesPassed() throws Exception {
        try (RawMqtt5Session silent = new RawMqtt5Session(mqttPort, unique("silent"), 1, new byte[0])) {
            long connected = System.nanoTime();

            int reason = silent.awaitDisconnectReason();

            long waitedMs = (System.nanoTime() - connected) / 1_000_000;
            assertThat(reason).isIn(-1, 0x8D); // keep alive timeout, or closed without a DISCONNECT
            assertThat(waitedMs).isBetween(1_000L, 5_000L);
        }
    }
}
