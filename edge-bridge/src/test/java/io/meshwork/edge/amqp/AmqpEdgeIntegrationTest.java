package io.meshwork.edge.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.StreamClient;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.schema.v1.EventEnvelope;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.message.Message;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The AMQP 1.0 listener (DESIGN.md 2.6) on one edge over a real embedded Kafka, with real clients:
 * Qpid JMS (a JMS 2 application's view) and a raw vertx-proton client (exact sections and credit).
 */
@Tag("integration")
@Timeout(120)
class AmqpEdgeIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final int MAX_PAYLOAD = 64 * 1024;
    /** Events one receiver link may have waiting: small, so a receiver without credit overflows it quickly. */
    private static final int QUEUE_BOUND = 20;

    private static EdgeOnKafka fixture;
    private static int amqpPort;
    private static Connection jms;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start(REGION, config -> config.withAmqp(0).withMqtt(0).withMaxPayloadBytes(MAX_PAYLOAD)
                .withSubscriberQueue(new SubscriberQueueSettings(QUEUE_BOUND, SubscriberQueueSettings.MIN_BYTES,
                        SubscriberQueueSettings.DEFAULT_WRITE_DEADLINE)));
        amqpPort = fixture.edge.port("AMQP").orElseThrow();
        // Property names with ':' are the binding's; Qpid JMS checks names against JMS identifiers unless told not to.
        jms = new JmsConnectionFactory("amqp://127.0.0.1:" + amqpPort + "?jms.validatePropertyNames=false").createConnection();
        jms.start();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (jms != null) {
            jms.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String newId() {
        return "evt-" + UUID.randomUUID();
    }

    @Test
    void anEventPublishedOverAmqpReachesWebSocketAndAmqpSubscribersOnceKafkaAcknowledgedIt() throws Exception {
        try (StreamClient webSocket = StreamClient.connect(fixture.streamUrl);
             Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            webSocket.subscribe("amqp/orders/#");
            MessageConsumer consumer = session.createConsumer(session.createTopic("amqp/orders/#"));
            MessageProducer producer = session.createProducer(session.createTopic("amqp/orders/eu"));
            BytesMessage sent = session.createBytesMessage();
            sent.writeBytes("{\"orderId\":\"o-1\"}".getBytes(StandardCharsets.UTF_8));
            String id = newId();
            sent.setStringProperty("cloudEvents_id", id);
            sent.setStringProperty("cloudEvents_type", "order.created");
            sent.setStringProperty("cloudEvents_source", "/shop/checkout");
            producer.send(sent); // persistent: returns once the edge settled it as accepted, i.e. after Kafka's ack

            EventEnvelope overWebSocket = webSocket.awaitEvent(id);
            assertThat(overWebSocket.getTopic()).isEqualTo("amqp/orders/eu");
            assertThat(overWebSocket.getHeadersMap()).containsEntry("type", "order.created").containsEntry("source", "/shop/checkout");
            assertThat(overWebSocket.getPayloadBytes().toStringUtf8()).isEqualTo("{\"orderId\":\"o-1\"}");

            BytesMessage received = (BytesMessage) consumer.receive(20_000);
            assertThat(received).isNotNull();
            assertThat(received.getStringProperty("cloudEvents:id")).isEqualTo(id);
            assertThat(received.getStringProperty("cloudEvents:type")).isEqualTo("order.created");
            assertThat(received.getStringProperty("cloudEvents:meshtopic")).isEqualTo("amqp/orders/eu");
            assertThat(received.getStringProperty("mesh-routing-path")).isEqualTo(REGION);
            byte[] body = new byte[(int) received.getBodyLength()];
            received.readBytes(body);
            assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo("{\"orderId\":\"o-1\"}");
        }
    }

    @Test
    void restAndMqttPublishesReachAnAmqpReceiverThroughItsSelector() throws Exception {
        try (Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageConsumer consumer = session.createConsumer(session.createTopic("amqp/payments/+"), "amountCents > 10000");
            String small = newId();
            String big = newId();
            assertThat(fixture.publisher.publishOn("amqp/payments/rest", small, "{\"amountCents\":500}").statusCode()).isEqualTo(202);
            assertThat(fixture.publisher.publishOn("amqp/payments/rest", big, "{\"amountCents\":25000}").statusCode()).isEqualTo(202);
            MqttClient mqtt = new MqttClient("tcp://127.0.0.1:" + fixture.edge.port("MQTT").orElseThrow(), "amqp-test-publisher",
                    new MemoryPersistence());
            try {
                mqtt.connect(new MqttConnectOptions());
                mqtt.publish("amqp/payments/mqtt", "{\"amountCents\":700}".getBytes(StandardCharsets.UTF_8), 1, false);
                mqtt.publish("amqp/payments/mqtt", "{\"amountCents\":90000}".getBytes(StandardCharsets.UTF_8), 1, false);
            } finally {
                mqtt.disconnect();
                mqtt.close();
            }

            List<String> bodies = new java.util.ArrayList<>();
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                jakarta.jms.Message received = consumer.receive(20_000);
                assertThat(received).as("event %d of 2", i + 1).isNotNull();
                // Qpid JMS makes a data section of content-type application/json a TextMessage.
                bodies.add(received instanceof jakarta.jms.TextMessage text ? text.getText()
                        : new String(received.getBody(byte[].class), StandardCharsets.UTF_8));
                ids.add(received.getStringProperty("cloudEvents:id"));
            }
            assertThat(bodies).containsExactlyInAnyOrder("{\"amountCents\":25000}", "{\"amountCents\":90000}");
            assertThat(ids).contains(big).doesNotContain(small);
            assertThat(consumer.receive(500)).as("no event the selector refuses").isNull();
        }
    }

    @Test
    void cloudEventsAttributesRoundTripThroughTheBinaryBinding() throws Exception {
        try (RawAmqpClient client = RawAmqpClient.connect(amqpPort); StreamClient webSocket = StreamClient.connect(fixture.streamUrl)) {
            webSocket.subscribe("amqp/attrs/#");
            RawAmqpClient.Receiver receiver = client.receive("amqp/attrs/#", null, 10);
            String id = newId();
            Message message = message(Map.of("cloudEvents:id", id, "cloudEvents:type", "sensor.read",
                    "cloudEvents:source", "urn:sensor:7", "cloudEvents:specversion", "1.0", "cloudEvents:subject", "room-3",
                    "cloudEvents:time", "2026-12-07T10:15:30Z", "cloudEvents:building", "north", "plain", "not an attribute"),
                    new Data(new Binary("21.5".getBytes(StandardCharsets.UTF_8))));
            message.setContentType("text/plain");

            assertThat(client.send("amqp/attrs/t1", message)).isInstanceOf(Accepted.class);

            EventEnvelope overWebSocket = webSocket.awaitEvent(id);
            assertThat(overWebSocket.getHeadersMap()).containsEntry("type", "sensor.read").containsEntry("source", "urn:sensor:7")
                    .containsEntry("subject", "room-3").containsEntry("time", "2026-12-07T10:15:30Z")
                    .containsEntry("building", "north").containsEntry("datacontenttype", "text/plain")
                    .doesNotContainKey("plain");
            await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.messages.isEmpty());
            Message back = receiver.messages.get(0);
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = back.getApplicationProperties().getValue();
            assertThat(properties).containsEntry("cloudEvents:id", id).containsEntry("cloudEvents:type", "sensor.read")
                    .containsEntry("cloudEvents:source", "urn:sensor:7").containsEntry("cloudEvents:subject", "room-3")
                    .containsEntry("cloudEvents:time", "2026-12-07T10:15:30Z").containsEntry("cloudEvents:building", "north")
                    .containsEntry("cloudEvents:specversion", "1.0");
            assertThat(back.getContentType()).isEqualTo("text/plain");
            assertThat(back.getMessageId()).isEqualTo(id);
            assertThat(((Data) back.getBody()).getValue().toString()).isEqualTo(new Binary("21.5".getBytes(StandardCharsets.UTF_8)).toString());
        }
    }

    @Test
    void eachBadMessageIsRejectedWithAConditionNamingTheProblemAndNothingIsPublished() throws Exception {
        try (RawAmqpClient client = RawAmqpClient.connect(amqpPort); StreamClient webSocket = StreamClient.connect(fixture.streamUrl)) {
            webSocket.subscribe("amqp/bad/#");
            Map<String, Object> valid = Map.of("cloudEvents:type", "t", "cloudEvents:source", "/s");

            assertRejected(client.send("amqp/bad/t", message(valid, null)), "amqp:invalid-field", "body: the message has no body");
            assertRejected(client.send("amqp/bad/t", message(valid, new AmqpSequence(List.of("a", "b")))),
                    "amqp:decode-error", "body: an amqp-sequence body is not supported");
            assertRejected(client.send("amqp/bad/t", message(valid, new AmqpValue(Map.of("k", "v")))),
                    "amqp:decode-error", "body: an amqp-value body of type");
            byte[] oversize = new byte[MAX_PAYLOAD + 1];
            assertRejected(client.send("amqp/bad/t", message(valid, new Data(new Binary(oversize)))),
                    "amqp:link:message-size-exceeded", "body: body of " + (MAX_PAYLOAD + 1) + " bytes exceeds the limit");
            Map<String, Object> badSource = new HashMap<>(valid);
            badSource.put("cloudEvents:source", "::not a uri");
            assertRejected(client.send("amqp/bad/t", message(badSource, data("x"))), "amqp:invalid-field", "cloudEvents:source");
            Map<String, Object> badVersion = new HashMap<>(valid);
            badVersion.put("cloudEvents:specversion", "0.3");
            assertRejected(client.send("amqp/bad/t", message(badVersion, data("x"))), "amqp:invalid-field",
                    "cloudEvents:specversion: unsupported CloudEvents specversion '0.3'");
            Message wrongTo = message(valid, data("x"));
            wrongTo.setAddress("amqp/bad/elsewhere");
            assertRejected(client.send("amqp/bad/t", wrongTo), "amqp:invalid-field",
                    "to: the message's 'to' 'amqp/bad/elsewhere' contradicts the link's target address 'amqp/bad/t'");

            ErrorCondition badAddress = client.refusedSender("amqp/bad/#");
            assertThat(badAddress.getCondition().toString()).isEqualTo("amqp:invalid-field");
            assertThat(badAddress.getDescription()).startsWith("address: target address 'amqp/bad/#' is not a mesh topic");

            // The marker goes after every bad message on the same path: once it is delivered, nothing before it was published.
            String marker = newId();
            Map<String, Object> markerProperties = new HashMap<>(valid);
            markerProperties.put("cloudEvents:id", marker);
            assertThat(client.send("amqp/bad/t", message(markerProperties, data("ok")))).isInstanceOf(Accepted.class);
            webSocket.awaitEvent(marker);
            assertThat(webSocket.events()).extracting(EventEnvelope::getEventId).containsExactly(marker);
        }
    }

    @Test
    void aReceiverLinkWithAnInvalidPatternOrSelectorIsClosedWithAConditionNamingTheField() throws Exception {
        try (RawAmqpClient client = RawAmqpClient.connect(amqpPort)) {
            RawAmqpClient.Receiver badPattern = client.receive("amqp/#/x", null, 1, false);
            ErrorCondition pattern = badPattern.closed.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(pattern.getCondition().toString()).isEqualTo("amqp:invalid-field");
            assertThat(pattern.getDescription()).startsWith("source address: ");

            RawAmqpClient.Receiver badSelector = client.receive("amqp/ok/#", "amountCents >>> 3", 1, false);
            ErrorCondition selector = badSelector.closed.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(selector.getCondition().toString()).isEqualTo("amqp:invalid-field");
            assertThat(selector.getDescription()).startsWith("apache.org:selector-filter:string: ");
        }
        try (Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            assertThatThrownBy(() -> session.createConsumer(session.createTopic("amqp/#/jms")))
                    .isInstanceOf(JMSException.class).hasMessageContaining("source address");
            assertThatThrownBy(() -> session.createProducer(session.createTopic("amqp/+/jms")).send(session.createBytesMessage()))
                    .isInstanceOfAny(InvalidDestinationException.class, JMSException.class).hasMessageContaining("not a mesh topic");
        }
    }

    @Test
    void aReceiverGetsOnlyAsManyEventsAsItGrantedCredit() throws Exception {
        try (RawAmqpClient client = RawAmqpClient.connect(amqpPort)) {
            RawAmqpClient.Receiver receiver = client.receive("amqp/credit/#", null, 1);
            for (int i = 0; i < 3; i++) {
                assertThat(fixture.publisher.publishOn("amqp/credit/t", newId(), "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.messages.size() == 1);
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> receiver.messages.size() == 1);

            receiver.flow(2);
            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.messages.size() == 3);
            assertThat(receiver.messages).extracting(m -> new String(((Data) m.getBody()).getValue().getArray(), StandardCharsets.UTF_8))
                    .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        }
    }

    @Test
    void aReceiverWithoutCreditUnderDropOldestKeepsTheNewestEventsAndIsToldWhatItLostWhileOthersGetEverything() throws Exception {
        int published = 3 * QUEUE_BOUND;
        try (RawAmqpClient client = RawAmqpClient.connect(amqpPort); Session session = jms.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            RawAmqpClient.Receiver stalled = client.receive("amqp/burst/#", null, 0, true,
                    Map.of(Symbol.valueOf("delivery-policy"), "drop-oldest"));
            MessageConsumer keepingUp = session.createConsumer(session.createTopic("amqp/burst/#"));
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < published; i++) {
                ids.add(newId());
                assertThat(fixture.publisher.publishOn("amqp/burst/t", ids.get(i), "{\"n\":" + i + "}").statusCode()).isEqualTo(202);
            }

            for (int i = 0; i < published; i++) {
                jakarta.jms.Message received = keepingUp.receive(20_000);
                assertThat(received).as("event %d of %d for the receiver that keeps up", i + 1, published).isNotNull();
                assertThat(received.getStringProperty("cloudEvents:id")).isEqualTo(ids.get(i));
            }
            assertThat(stalled.messages).as("nothing is sent without credit").isEmpty();

            stalled.flow(published);
            // Every event is either delivered or counted in a dropped-before: no loss is silent.
            await().atMost(Duration.ofSeconds(20)).until(() -> stalled.messages.size() + droppedBefore(stalled.messages) == published);
            assertThat(stalled.messages).hasSizeBetween(1, QUEUE_BOUND);
            assertThat(droppedBefore(List.of(stalled.messages.get(0)))).as("the first delivery after the loss tells it")
                    .isEqualTo(published - stalled.messages.size());
            assertThat(stalled.messages).extracting(Message::getMessageId)
                    .containsExactlyElementsOf(ids.subList(published - stalled.messages.size(), published));
        }
    }

    @Test
    void aDeliveryTheClientReleasesIsSentAgainOnTheLink() throws Exception {
        try (RawAmqpClient client = RawAmqpClient.connect(amqpPort)) {
            RawAmqpClient.Receiver receiver = client.receive("amqp/release/#", null, 10);
            receiver.toRelease.set(1);
            String id = newId();
            assertThat(fixture.publisher.publishOn("amqp/release/t", id, "{\"n\":1}").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.messages.size() == 2);
            assertThat(receiver.messages).extracting(Message::getMessageId).containsExactly(id, id);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> receiver.messages.size() == 2);
        }
    }

    private static long droppedBefore(List<Message> messages) {
        return messages.stream().map(m -> m.getApplicationProperties().getValue().get("mesh-dropped-before"))
                .filter(java.util.Objects::nonNull).mapToLong(value -> ((Number) value).longValue()).sum();
    }

    private static void assertRejected(DeliveryState outcome, String condition, String description) {
        assertThat(outcome).isInstanceOf(Rejected.class);
        ErrorCondition error = ((Rejected) outcome).getError();
        assertThat(error.getCondition().toString()).isEqualTo(condition);
        assertThat(error.getDescription()).contains(description);
    }

    private static Message message(Map<String, Object> properties, org.apache.qpid.proton.amqp.messaging.Section body) {
        Message message = Proton.message();
        message.setApplicationProperties(new ApplicationProperties(new HashMap<>(properties)));
        if (body != null) {
            message.setBody(body);
        }
        return message;
    }

    private static Data data(String text) {
        return new Data(new Binary(text.getBytes(StandardCharsets.UTF_8)));
    }
}
