package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import io.meshwork.schema.v1.EventEnvelope;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * MQTT 3.1.1 and 5 on one region's edge, with real Paho clients over the real port, on a real
 * embedded Kafka cluster: every event goes through {@code mesh.events} and comes back.
 */
@Tag("integration")
@Timeout(120)
class MqttEdgeIntegrationTest {

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

    @Test
    void mqtt311PublishReachesMqtt5AndWebSocketSubscribers() throws Exception {
        String topic = unique("sensors") + "/temp";
        try (Mqtt5Client mqtt5 = Mqtt5Client.connect(mqttPort, unique("sub5"));
             StreamClient ws = StreamClient.connect(fixture.streamUrl);
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, "dev ice/1")) {
            mqtt5.subscribe(topic);
            ws.subscribe(topic);

            publisher.publish(topic, "{\"c\":21.5}", 1, false);

            Mqtt5Client.Received received = mqtt5.awaitPayload("{\"c\":21.5}");
            assertThat(received.topic()).isEqualTo(topic);
            // An MQTT 3.1.1 PUBLISH has no user properties, so none come back (the mesh's attributes only on request).
            assertThat(received.userProperties()).isEmpty();
            EventEnvelope event = ws.awaitFrame(f -> f.getTopic().equals(topic));
            assertThat(event.getPayloadBytes().toStringUtf8()).isEqualTo("{\"c\":21.5}");
            assertThat(event.getHeadersMap())
                    .containsEntry("type", "mqtt.publish")
                    .containsEntry("source", "/mqtt/dev%20ice%2F1")
                    .containsEntry("meshtopic", topic);
            assertThat(event.getRoutingPathList()).containsExactly("us-east-1");

            // QoS 0 is fire-and-forget for the client, but still goes through Kafka.
            publisher.publish(topic, "qos0", 0, false);
            mqtt5.awaitPayload("qos0");
            ws.awaitFrame(f -> f.getPayloadBytes().toStringUtf8().equals("qos0"));
        }
    }

    @Test
    void httpPublishReachesMqtt311AndMqtt5SubscribersWithAttributesAsTheCloudEventsMqttBindingSays() throws Exception {
        String topic = unique("orders") + "/created";
        try (Mqtt3Client mqtt3 = Mqtt3Client.connect(mqttPort, unique("sub3"));
             Mqtt5Client mqtt5 = Mqtt5Client.connect(mqttPort, unique("sub5"))) {
            assertThat(mqtt3.subscribe(topic)).containsExactly(1);
            mqtt5.subscribe(topic);
            String id = unique("evt");

            assertThat(fixture.publisher.publishOn(topic, id, "{\"n\":1}").statusCode()).isEqualTo(202);

            mqtt3.awaitPayload("{\"n\":1}");
            Mqtt5Client.Received received = mqtt5.awaitPayload("{\"n\":1}");
            assertThat(received.contentType()).isEqualTo("application/json");
            assertThat(received.qos()).isEqualTo(1);
            assertThat(received.userProperties())
                    .containsEntry("id", id)
                    .containsEntry("type", "test.event")
                    .containsEntry("source", "/tests")
                    .containsEntry("specversion", "1.0")
                    .containsEntry("meshtopic", topic)
                    // datacontenttype is the MQTT content type; the routing path is the mesh's, given on request.
                    .doesNotContainKeys("datacontenttype", "mesh-routing-path", "mesh-delivery");
            assertThat(mqtt3.topics()).containsExactly(topic);
        }
    }

    @Test
    void mqtt5UserPropertiesArriveAsEnvelopeHeaders() throws Exception {
        String topic = unique("audit") + "/login";
        String clientId = unique("pub5");
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl);
             Mqtt5Client publisher = Mqtt5Client.connect(mqttPort, clientId)) {
            ws.subscribe(topic);
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("ce-id", "evt-42");
            properties.put("Type", "com.example.login");
            properties.put("tenant", "acme");
            properties.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

            IMqttToken ack = publisher.publish(topic, "{}", 1, false, properties, "application/json");

            assertThat(ack.getReasonCodes()).containsExactly(0);
            EventEnvelope event = ws.awaitEvent("evt-42");
            assertThat(event.getHeadersMap())
                    .containsEntry("type", "com.example.login")
                    .containsEntry("tenant", "acme")
                    .containsEntry("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .containsEntry("datacontenttype", "application/json")
                    .containsEntry("source", "/mqtt/" + clientId)
                    .containsEntry("id", "evt-42");
        }
    }

    @Test
    void qos1PublishIsAcknowledgedOnlyOnceTheEventIsInKafka() throws Exception {
        String topic = unique("billing") + "/paid";
        try (Mqtt5Client publisher = Mqtt5Client.connect(mqttPort, unique("pub5"))) {
            IMqttToken ack = publisher.publish(topic, "paid", 1, false, Map.of("id", "evt-kafka-" + topic), null);

            assertThat(ack.getReasonCodes()).containsExactly(0);
            // Read up to the end offsets of the moment the PUBACK arrived.
            List<ConsumerRecord<String, byte[]>> records = KafkaTopicReader.readAll(fixture.kafka.bootstrapServers(), MeshKafkaTopics.EVENTS);
            assertThat(records).filteredOn(r -> ("evt-kafka-" + topic).equals(KafkaTopicReader.header(r, "ce_id")))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(KafkaTopicReader.header(r, "ce_meshtopic")).isEqualTo(topic);
                        assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("paid");
                    });
        }
    }

    @Test
    void overlappingSubscriptionsOfOneClientGetOneCopy() throws Exception {
        String root = unique("stock");
        try (Mqtt5Client subscriber = Mqtt5Client.connect(mqttPort, unique("sub5"));
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("pub3"))) {
            subscriber.subscribe(root + "/#", root + "/+/acme", root + "/eu/acme");

            publisher.publish(root + "/eu/acme", "first", 1, false);
            publisher.publish(root + "/eu/acme", "marker", 1, false);
            subscriber.awaitPayload("marker");

            assertThat(subscriber.payloads()).containsExactly("first", "marker");
        }
    }

    @Test
    void sharedSubscriptionGivesEachEventToExactlyOneMember() throws Exception {
        String root = unique("jobs");
        try (Mqtt5Client first = Mqtt5Client.connect(mqttPort, unique("worker"));
             Mqtt5Client second = Mqtt5Client.connect(mqttPort, unique("worker"));
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("pub3"))) {
            first.subscribe("$share/g/" + root + "/#");
            second.subscribe("$share/g/" + root + "/#");

            int events = 20;
            for (int i = 0; i < events; i++) {
                publisher.publish(root + "/run", "job-" + i, 1, false);
            }

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> first.payloads().size() + second.payloads().size() >= events);
            List<String> all = new java.util.ArrayList<>(first.payloads());
            all.addAll(second.payloads());
            assertThat(all).hasSize(events).doesNotHaveDuplicates();
        }
    }

    @Test
    void unsubscribeAndDisconnectStopDeliveryAndWithdrawTheInterest() throws Exception {
        String unsubscribed = unique("quotes") + "/+";
        String disconnected = unique("news") + "/#";
        try (Mqtt5Client watcher = Mqtt5Client.connect(mqttPort, unique("watch"));
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("pub3"))) {
            String marker = unique("marker");
            watcher.subscribe(marker);
            try (Mqtt5Client leaver = Mqtt5Client.connect(mqttPort, unique("leave"));
                 Mqtt3Client dropper = Mqtt3Client.connect(mqttPort, unique("drop"))) {
                leaver.subscribe(unsubscribed, marker);
                dropper.subscribe(disconnected);
                awaitInterest(unsubscribed, true);
                awaitInterest(disconnected, true);

                leaver.unsubscribe(unsubscribed);
                awaitInterest(unsubscribed, false);
                publisher.publish(unsubscribed.replace("+", "x"), "after-unsubscribe", 1, false);
                publisher.publish(marker, "marker-1", 1, false);
                leaver.awaitPayload("marker-1");
                assertThat(leaver.payloads()).containsExactly("marker-1");
            }
            // Both sessions ended with their connections (clean start / clean session).
            awaitInterest(disconnected, false);
            awaitInterest(marker, true); // the watcher still holds it
        }
    }

    @Test
    void lastWillGoesThroughTheMeshOnceAndOnlyWhenDue() throws Exception {
        String root = unique("devices");
        try (StreamClient ws = StreamClient.connect(fixture.streamUrl);
             Mqtt5Client watcher = Mqtt5Client.connect(mqttPort, unique("watch"))) {
            ws.subscribe(root + "/#");
            watcher.subscribe(root + "/#");
            try (Mqtt3Client polite = Mqtt3Client.connect(mqttPort, unique("polite"), root + "/polite/status", "polite-gone");
                 Mqtt3Client crashing = Mqtt3Client.connect(mqttPort, unique("crash"), root + "/crash/status", "crash-gone")) {
                crashing.dropConnection();
            }

            EventEnvelope will = ws.awaitFrame(f -> f.getPayloadBytes().toStringUtf8().equals("crash-gone"));
            assertThat(will.getTopic()).isEqualTo(root + "/crash/status");
            assertThat(will.getHeadersMap()).containsEntry("type", "mqtt.publish");
            watcher.awaitPayload("crash-gone");
            try (Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("pub3"))) {
                publisher.publish(root + "/marker", "marker", 1, false);
            }
            watcher.awaitPayload("marker");
            // One copy (through Kafka, not also from HiveMQ directly), and no will after a DISCONNECT.
            assertThat(watcher.payloads()).containsExactly("crash-gone", "marker");
        }
    }

    @Test
    void persistentSessionKeepsItsInterestAndQueuedEventsUntilItExpires() throws Exception {
        String root = unique("parcels");
        String clientId = unique("courier");
        try (Mqtt5Client first = Mqtt5Client.connect(mqttPort, clientId, true, 2)) {
            first.subscribe(root + "/#");
        }
        // The session outlives the connection: the mesh keeps delivering, HiveMQ queues.
        assertThat(fixture.publisher.publishOn(root + "/x", unique("evt"), "while-away").statusCode()).isEqualTo(202);
        try (Mqtt5Client back = Mqtt5Client.connect(mqttPort, clientId, false, 2)) {
            back.awaitPayload("while-away");
            awaitInterest(root + "/#", true);
        }
        awaitInterest(root + "/#", false);
    }

    private static void awaitInterest(String pattern, boolean held) {
        String key = InterestKey.subscription(fixture.edge.edgeId(), pattern, "").encode();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            ConsumerRecord<String, byte[]> last = null;
            for (ConsumerRecord<String, byte[]> record : KafkaTopicReader.readAll(fixture.kafka.bootstrapServers(), MeshKafkaTopics.INTEREST)) {
                if (key.equals(record.key())) {
                    last = record;
                }
            }
            return held ? last != null && last.value() != null : last != null && last.value() == null;
        });
    }
}
