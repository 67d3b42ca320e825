package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * QoS 2 through one region's edge (MQTT 3.1.1 §4.3.3, MQTT 5 §4.3.3): the PUBREC is sent only
 * once Kafka acknowledged the event, a retransmitted PUBLISH is not a second event, deliveries
 * carry the publish QoS lowered to the subscription's (MQTT 3.1.1 §3.8.4, MQTT 5 §3.8.3.1), and a
 * QoS 2 subscriber receives every event once.
 */
@Tag("integration")
@Timeout(180)
class MqttQos2IntegrationTest {

    private static final int PUBREC = 0x50;
    private static final int PUBCOMP = 0x70;

    private static EdgeOnKafka fixture;
    private static int mqttPort;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("us-east-1", Map.of("interceptor.classes", AckTimes.class.getName()), config -> config.withMqtt(0).withMqttInflightWindow(1_000));
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

    private static List<ConsumerRecord<String, byte[]>> recordsWithPayload(String payload) {
        return KafkaTopicReader.readAll(fixture.kafka.bootstrapServers(), MeshKafkaTopics.EVENTS).stream()
                .filter(record -> new String(record.value(), java.nio.charset.StandardCharsets.UTF_8).equals(payload))
                .toList();
    }

    @Test
    void pubrecComesAfterKafkaAcknowledgedTheEventAndARetransmissionIsNotASecondEvent() throws Exception {
        String topic = unique("qos2") + "/in";
        String payload = unique("once");
        try (RawMqtt5 client = new RawMqtt5(mqttPort, unique("raw"))) {
            client.publishQos2(topic, payload, 7, false);
            // The client retransmits before it got the PUBREC (DUP set, same packet identifier).
            client.publishQos2(topic, payload, 7, true);

            RawMqtt5.Ack first = client.awaitAck(PUBREC);
            RawMqtt5.Ack second = client.awaitAck(PUBREC);
            assertThat(List.of(first, second)).allSatisfy(ack -> {
                assertThat(ack.packetId()).isEqualTo(7);
                assertThat(ack.reasonCode()).isZero();
            });

            List<ConsumerRecord<String, byte[]>> written = recordsWithPayload(payload);
            assertThat(written).hasSize(1);
            ConsumerRecord<String, byte[]> record = written.get(0);
            assertThat(KafkaTopicReader.header(record, "ce_mqttqos")).isEqualTo("2");
            Long acked = AckTimes.ackedAt(record.topic(), record.partition(), record.offset());
            assertThat(acked).as("Kafka's ack of the event").isNotNull();
            assertThat(first.receivedNanos()).as("first PUBREC after Kafka's ack").isGreaterThan(acked);
            assertThat(second.receivedNanos()).as("the retransmission's PUBREC after Kafka's ack").isGreaterThan(acked);

            client.pubrel(7);
            RawMqtt5.Ack complete = client.awaitAck(PUBCOMP);
            assertThat(complete.packetId()).isEqualTo(7);
            assertThat(complete.reasonCode()).isZero();
            assertThat(recordsWithPayload(payload)).hasSize(1);
        }
    }

    @Test
    void deliveriesCarryThePublishQosLoweredToTheSubscriptionQos() throws Exception {
        String topic = unique("downgrade") + "/q";
        try (Mqtt5Client sub0 = Mqtt5Client.connect(mqttPort, unique("sub0"));
             Mqtt5Client sub1 = Mqtt5Client.connect(mqttPort, unique("sub1"));
             Mqtt5Client sub2 = Mqtt5Client.connect(mqttPort, unique("sub2"));
             Mqtt3Client sub3 = Mqtt3Client.connect(mqttPort, unique("sub3"));
             Mqtt5Client publisher = Mqtt5Client.connect(mqttPort, unique("pub5"))) {
            sub0.subscribe(0, topic);
            sub1.subscribe(1, topic);
            sub2.subscribe(2, topic);
            assertThat(sub3.subscribe(2, topic)).isEqualTo(2);

            for (int qos = 0; qos <= 2; qos++) {
                publisher.publish(topic, "published at " + qos, qos, false, Map.of(), null);
            }
            assertThat(fixture.publisher.publishOn(topic, unique("rest"), "{\"via\":\"rest\"}").statusCode()).isEqualTo(202);
            assertThat(fixture.publisher.publish(Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                    "ce-type", "test.event", "ce-source", "/tests", "ce-id", unique("rest2"), "ce-meshtopic", topic,
                    "ce-mqttqos", "2"), "{\"via\":\"rest at 2\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "")
                    .statusCode()).isEqualTo(202);

            for (int published = 0; published <= 2; published++) {
                String payload = "published at " + published;
                assertThat(sub0.awaitPayload(payload).qos()).isZero();
                assertThat(sub1.awaitPayload(payload).qos()).isEqualTo(Math.min(published, 1));
                assertThat(sub2.awaitPayload(payload).qos()).isEqualTo(published);
                sub3.awaitPayload(payload);
                assertThat(sub3.qos().get(sub3.payloads().indexOf(payload))).isEqualTo(published);
            }
            // Events of other protocols are delivered at QoS 1 unless they carry mqttqos.
            assertThat(sub2.awaitPayload("{\"via\":\"rest\"}").qos()).isEqualTo(1);
            assertThat(sub2.awaitPayload("{\"via\":\"rest at 2\"}").qos()).isEqualTo(2);
            assertThat(sub1.awaitPayload("{\"via\":\"rest at 2\"}").qos()).isEqualTo(1);
        }
    }

    @Test
    void qos2SubscribersReceiveEveryEventOnce() throws Exception {
        String topic = unique("exactly") + "/once";
        List<String> payloads = IntStream.range(0, 40).mapToObj(i -> "event " + i).toList();
        try (Mqtt5Client sub5 = Mqtt5Client.connect(mqttPort, unique("sub5"));
             Mqtt3Client sub3 = Mqtt3Client.connect(mqttPort, unique("sub3"));
             Mqtt5Client pub5 = Mqtt5Client.connect(mqttPort, unique("pub5"));
             Mqtt3Client pub3 = Mqtt3Client.connect(mqttPort, unique("pub3"))) {
            sub5.subscribe(2, topic);
            sub3.subscribe(2, topic);
            for (int i = 0; i < payloads.size(); i++) {
                if (i % 2 == 0) {
                    pub5.publish(topic, payloads.get(i), 2, false, Map.of(), null);
                } else {
                    pub3.publish(topic, payloads.get(i), 2, false);
                }
            }
            String last = "last";
            pub5.publish(topic, last, 2, false, Map.of(), null);
            sub5.awaitPayload(last);
            sub3.awaitPayload(last);

            assertThat(sub5.payloads()).containsExactlyInAnyOrderElementsOf(concat(payloads, last));
            assertThat(sub3.payloads()).containsExactlyInAnyOrderElementsOf(concat(payloads, last));
            assertThat(sub5.received()).allSatisfy(received -> assertThat(received.qos()).isEqualTo(2));
            assertThat(sub3.qos()).containsOnly(2);
        }
    }

    @Test
    void anEventWrittenTwiceToMeshEventsIsHandedToMqttSubscribersOnce() throws Exception {
        String topic = unique("twice") + "/e";
        String id = unique("evt");
        try (Mqtt5Client sub5 = Mqtt5Client.connect(mqttPort, unique("sub5"));
             StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            sub5.subscribe(2, topic);
            ws.subscribe(topic);
            // A REST client that retries after a lost answer writes the same event (source and id) again.
            assertThat(fixture.publisher.publishOn(topic, id, "{\"copy\":1}").statusCode()).isEqualTo(202);
            assertThat(fixture.publisher.publishOn(topic, id, "{\"copy\":2}").statusCode()).isEqualTo(202);
            assertThat(fixture.publisher.publishOn(topic, unique("after"), "{\"after\":true}").statusCode()).isEqualTo(202);

            ws.awaitFrame(frame -> frame.getPayloadBytes().toStringUtf8().equals("{\"copy\":2}"));
            sub5.awaitPayload("{\"after\":true}");
            assertThat(sub5.payloads()).containsExactly("{\"copy\":1}", "{\"after\":true}");
        }
    }

    @Test
    void aRefusedQos2PublishGetsAPubrecWithTheFailureCodeAndAReasonAndTheConnectionStays() throws Exception {
        try (RawMqtt5 client = new RawMqtt5(mqttPort, unique("raw"))) {
            client.publishQos2("a" + "/a".repeat(40), "too deep", 3, false);

            RawMqtt5.Ack refused = client.awaitAck(PUBREC);
            assertThat(refused.reasonCode()).isEqualTo(0x90); // topic name invalid
            assertThat(refused.reasonString()).startsWith("topic:");
            assertThat(recordsWithPayload("too deep")).isEmpty();
            assertThat(client.ping()).isTrue();
        }
    }

    /**
     * MQTT 5 §4.3.3: until the PUBREL, a PUBLISH with the same packet identifier is acknowledged
     * with a PUBREC and not delivered again. HiveMQ CE applies that to any PUBLISH on an open
     * flow's identifier, DUP or not, and answers 0x00 (the extension SDK cannot make it 0x91
     * Packet Identifier in use): the message is not written a second time, and the client's
     * connection and other subscriptions are unaffected.
     */
    @Test
    void aPublishReusingThePacketIdentifierOfAnOpenFlowIsNotASecondEventAndTheClientStaysServed() throws Exception {
        String topic = unique("reuse") + "/in";
        String other = unique("reuse") + "/other";
        try (RawMqtt5 client = new RawMqtt5(mqttPort, unique("raw"))) {
            assertThat(client.subscribeQos0(other, 1)).isZero();
            client.publishQos2(topic, "first", 9, false);
            assertThat(client.awaitAck(PUBREC).reasonCode()).isZero();
            client.publishQos2(topic, "second", 9, false); // no DUP, before PUBREL: a new message on an identifier in use
            RawMqtt5.Ack second = client.awaitAck(PUBREC);
            assertThat(second.packetId()).isEqualTo(9);
            client.pubrel(9);
            assertThat(client.awaitAck(PUBCOMP).packetId()).isEqualTo(9);

            assertThat(recordsWithPayload("first")).hasSize(1);
            assertThat(recordsWithPayload("second")).isEmpty();
            assertThat(client.ping()).isTrue();
            assertThat(fixture.publisher.publishOn(other, unique("evt"), "{\"still\":\"served\"}").statusCode()).isEqualTo(202);
            assertThat(client.awaitPublish("{\"still\":\"served\"}")).isTrue();
        }
    }

    /** MQTT 5 says 0x92 Packet Identifier not found; HiveMQ CE completes it (0x00) and the connection stays up. */
    @Test
    void aPubrelForAnUnknownPacketIdentifierIsCompletedAndTheConnectionStaysUp() throws Exception {
        try (RawMqtt5 client = new RawMqtt5(mqttPort, unique("raw"))) {
            client.pubrel(0x1234);
            RawMqtt5.Ack complete = client.awaitAck(PUBCOMP);
            assertThat(complete).isNotNull();
            assertThat(complete.packetId()).isEqualTo(0x1234);
            assertThat(client.ping()).isTrue();
        }
    }

    /**
     * HiveMQ CE keeps a refused QoS 2 PUBLISH until a PUBREL that a refused flow never gets, and
     * would acknowledge the next PUBLISH on that identifier without passing it on: the edge
     * disconnects the client (0x83) rather than let that PUBREC claim a message Kafka never got.
     */
    @Test
    void aPublishOnThePacketIdentifierOfARefusedFlowIsNeverAcknowledgedUnwritten() throws Exception {
        String topic = unique("after") + "/refusal";
        String clientId = unique("raw");
        try (RawMqtt5 client = new RawMqtt5(mqttPort, clientId)) {
            client.publishQos2("a" + "/a".repeat(40), "refused", 11, false);
            assertThat(client.awaitAck(PUBREC).reasonCode()).isEqualTo(0x90);
            client.publishQos2(topic, "next", 11, false);

            assertThat(client.awaitAck(PUBREC)).as("no PUBREC for a PUBLISH the broker dropped").isNull();
            assertThat(client.disconnectReason()).isEqualTo(0x83);
            assertThat(recordsWithPayload("next")).isEmpty();
        }
        try (RawMqtt5 again = new RawMqtt5(mqttPort, clientId)) {
            again.publishQos2(topic, "next", 11, false);
            assertThat(again.awaitAck(PUBREC).reasonCode()).isZero();
            assertThat(recordsWithPayload("next")).hasSize(1);
        }
    }

    /**
     * HiveMQ sends a subscriber what queued up for it in batches of at most the in-flight window,
     * the next batch once the last is acknowledged. HiveMQ CE alone: 50; {@code edge.mqtt.inflight.window}
     * raises it (1,000 here), so a subscriber with a backlog gets more per round trip.
     */
    @Test
    void aSubscriberWithABacklogGetsMoreThanFiftyMessagesPerRoundTrip() throws Exception {
        String topic = unique("window") + "/e";
        int events = 120;
        try (RawMqtt5 subscriber = new RawMqtt5(mqttPort, unique("raw"));
             StreamClient ws = StreamClient.connect(fixture.streamUrl)) {
            assertThat(subscriber.subscribe(topic)).isEqualTo("SUBACK 1");
            ws.subscribe(topic);
            for (int i = 0; i < events; i++) {
                assertThat(fixture.publisher.publishOn(topic, unique("w"), "{\"i\":" + i + "}").statusCode()).isEqualTo(202);
            }
            int first = subscriber.awaitQos1PublishId();
            // The edge handed every event to the broker (the WebSocket subscriber of the same delivery got them all):
            // the rest queue up behind the unacknowledged first one.
            await().atMost(Duration.ofSeconds(20)).until(() -> ws.events().size() >= events);

            subscriber.puback(first);

            // Stops at the first 10 s without a packet: generous, as a loaded machine may pause HiveMQ for seconds.
            assertThat(subscriber.countUnacknowledgedPublishes(events - 1, 10_000)).isGreaterThan(50);
        }
    }

    private static List<String> concat(List<String> list, String last) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(last)).toList();
    }
}
