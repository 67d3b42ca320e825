package io.meshwork.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.schema.v1.EventEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One region's edge on a real embedded Kafka cluster: publish over HTTP, receive over WebSocket. */
@Tag("integration")
@Timeout(120)
class EdgeBridgeIntegrationTest {

    private static EdgeOnKafka fixture;
    private static EmbeddedKafkaCluster kafka;
    private static EdgeBridge edge;
    private static Publisher publisher;
    private static String streamUrl;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("us-east-1");
        kafka = fixture.kafka;
        edge = fixture.edge;
        publisher = fixture.publisher;
        streamUrl = fixture.streamUrl;
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String newId() {
        return "evt-" + UUID.randomUUID();
    }

    @Test
    void seedRequestIsAcceptedAndDeliveredToMatchingSubscriber() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl)) {
            subscriber.subscribe("com/codesprintpro/#");
            String id = newId();

            var response = publisher.publishSeedEvent(id);

            assertThat(response.statusCode()).isEqualTo(202);
            assertThat(response.body()).startsWith("{\"eventId\":\"" + id + "\",\"status\":\"ACCEPTED\",\"brokerTimestamp\":");
            EventEnvelope event = subscriber.awaitEvent(id);
            assertThat(event.getTopic()).isEqualTo("com/codesprintpro/order/created");
            assertThat(event.getPayloadBytes().toString(StandardCharsets.UTF_8)).isEqualTo(Publisher.SEED_BODY);
            assertThat(event.getHeadersMap())
                    .containsEntry("type", "com.codesprintpro.order.created")
                    .containsEntry("source", "/billing/checkout")
                    .containsEntry("specversion", "1.0")
                    .containsEntry("datacontenttype", "application/json");
            assertThat(event.getRoutingPathList()).containsExactly("us-east-1");
            assertThat(event.getPublishTimestampMs()).isPositive();
        }
    }

    @Test
    void nonMatchingSubscriberReceivesNothing() throws Exception {
        try (StreamClient orders = StreamClient.connect(streamUrl); StreamClient all = StreamClient.connect(streamUrl)) {
            orders.subscribe("orders/#");
            all.subscribe("#");
            String unrelated = newId();
            String marker = newId();

            assertThat(publisher.publishOn("payments/eu/settled", unrelated, "{}").statusCode()).isEqualTo(202);
            all.awaitEvent(unrelated);
            assertThat(publisher.publishOn("orders/eu/created", marker, "{}").statusCode()).isEqualTo(202);
            orders.awaitEvent(marker);

            // Events reach a connection in publish order, so the marker proves nothing else is coming.
            assertThat(orders.events()).extracting(EventEnvelope::getEventId).containsExactly(marker);
        }
    }

    @Test
    void overlappingSubscriptionsGiveEachSubscriberOneCopy() throws Exception {
        try (StreamClient first = StreamClient.connect(streamUrl); StreamClient second = StreamClient.connect(streamUrl)) {
            first.subscribe("orders/#");
            first.subscribe("orders/+/checkout");
            second.subscribe("orders/ap/checkout");
            second.subscribe("+/ap/#");
            String id = newId();
            String marker = newId();

            publisher.publishOn("orders/ap/checkout", id, "{}");
            publisher.publishOn("orders/ap/checkout", marker, "{}");
            first.awaitEvent(marker);
            second.awaitEvent(marker);

            assertThat(first.events()).extracting(EventEnvelope::getEventId).containsExactly(id, marker);
            assertThat(second.events()).extracting(EventEnvelope::getEventId).containsExactly(id, marker);
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl)) {
            subscriber.subscribe("stock/+");
            subscriber.subscribe("marker/#");
            String before = newId();
            publisher.publishOn("stock/acme", before, "{}");
            subscriber.awaitEvent(before);

            subscriber.unsubscribe("stock/+");
            String after = newId();
            String marker = newId();
            publisher.publishOn("stock/acme", after, "{}");
            publisher.publishOn("marker/x", marker, "{}");
            subscriber.awaitEvent(marker);

            assertThat(subscriber.events()).extracting(EventEnvelope::getEventId).containsExactly(before, marker);
        }
    }

    @Test
    void plainKafkaProducerEventReachesWebSocketSubscriber() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl);
             var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                     new StringSerializer(), new ByteArraySerializer())) {
            subscriber.subscribe("inventory/#");
            String id = newId();
            var record = new ProducerRecord<String, byte[]>(MeshKafkaTopics.EVENTS, null, "{\"sku\":1}".getBytes(StandardCharsets.UTF_8));
            record.headers()
                    .add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8))
                    .add("ce_id", id.getBytes(StandardCharsets.UTF_8))
                    .add("ce_source", "/warehouse".getBytes(StandardCharsets.UTF_8))
                    .add("ce_type", "inventory.adjusted".getBytes(StandardCharsets.UTF_8))
                    .add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();

            EventEnvelope event = subscriber.awaitEvent(id);
            assertThat(event.getTopic()).isEqualTo("inventory/adjusted");
            assertThat(event.getPayloadBytes().toStringUtf8()).isEqualTo("{\"sku\":1}");
        }
    }

    @Test
    void deliversWithinMillisecondsLocally() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl)) {
            subscriber.subscribe("latency/#");
            String id = newId();
            long sent = System.currentTimeMillis();
            publisher.publishOn("latency/probe", id, "{}");
            EventEnvelope event = subscriber.awaitEvent(id);
            // Not a performance assertion (that is the benchmark's job): the envelope's publish
            // time is the edge's accept time, so it cannot precede the request.
            assertThat(event.getPublishTimestampMs()).isBetween(sent - 1000, System.currentTimeMillis());
        }
    }

    @Test
    void healthReportsSubscriptions() throws Exception {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + edge.httpPort() + "/v1/health")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"region\":\"us-east-1\"");
        await().atMost(Duration.ofSeconds(5)).until(edge::isHealthy);
    }

    @Test
    void recordsEachPatternOnceAsInterestAndWithdrawsItWhenTheLastSubscriberLeaves() throws Exception {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(Map.<String, Object>of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partition = new org.apache.kafka.common.TopicPartition(MeshKafkaTopics.INTEREST, 0);
            consumer.assign(java.util.List.of(partition));
            String key = io.meshwork.core.interest.InterestKey.subscription(edge.edgeId(), "shared/#", "").encode();
            java.util.List<byte[]> values = new java.util.concurrent.CopyOnWriteArrayList<>();
            Runnable drain = () -> consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                if (r.key().equals(key)) {
                    values.add(r.value() == null ? new byte[0] : r.value());
                }
            });
            try (StreamClient first = StreamClient.connect(streamUrl); StreamClient second = StreamClient.connect(streamUrl)) {
                first.subscribe("shared/#");
                second.subscribe("shared/#");
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    drain.run();
                    assertThat(values).hasSize(1);
                });
                first.unsubscribe("shared/#");
            }
            // The second subscriber's disconnect is the last one: the entry is tombstoned.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                drain.run();
                assertThat(values).hasSize(2);
                assertThat(values.get(1)).isEmpty();
            });
        }
    }

    @Test
    void selectorsFilterWhatASubscriberReceives() throws Exception {
        try (StreamClient big = StreamClient.connect(streamUrl); StreamClient regional = StreamClient.connect(streamUrl)) {
            big.subscribe("payments/#", "amountCents > 10000 AND currency = 'USD'");
            regional.subscribe("payments/#", "headers.region IN ('ap', 'eu')");
            String small = newId();
            String large = newId();
            String fromAsia = newId();
            publisher.publishOn("payments/card", small, "{\"amountCents\":4900,\"currency\":\"USD\"}");
            publisher.publishOn("payments/card", large, "{\"amountCents\":14900,\"currency\":\"USD\"}");
            var headers = new java.util.HashMap<>(Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                    "ce-type", "test.event", "ce-source", "/tests", "ce-id", fromAsia, "ce-meshtopic", "payments/wire",
                    "ce-region", "ap"));
            publisher.publish(headers, "{\"amountCents\":1}".getBytes(StandardCharsets.UTF_8), "");

            big.awaitEvent(large);
            regional.awaitEvent(fromAsia);
            String marker = newId();
            var markerHeaders = new java.util.HashMap<>(headers);
            markerHeaders.put("ce-id", marker);
            publisher.publish(markerHeaders, "{\"amountCents\":20000,\"currency\":\"USD\"}".getBytes(StandardCharsets.UTF_8), "");
            big.awaitEvent(marker);
            regional.awaitEvent(marker);
            assertThat(big.events()).extracting(EventEnvelope::getEventId).containsExactly(large, marker);
            assertThat(regional.events()).extracting(EventEnvelope::getEventId).containsExactly(fromAsia, marker);
        }
    }

    @Test
    void webSocketClientsPublishWithPublishRequestFrames() throws Exception {
        try (StreamClient producer = StreamClient.connect(streamUrl); StreamClient consumer = StreamClient.connect(streamUrl)) {
            consumer.subscribe("ws-published/#");
            String id = newId();

            producer.send("{\"eventId\":\"" + id + "\",\"type\":\"ws.test\",\"source\":\"/ws\",\"topic\":\"ws-published/a\","
                    + "\"contentType\":\"application/json\",\"payloadBytes\":\"eyJhIjoxfQ==\",\"extensions\":{\"region\":\"eu\"}}");

            var published = producer.awaitFrame(f -> f.hasControl() && f.getControl().getType() == io.meshwork.schema.v1.StreamControl.Type.PUBLISHED);
            assertThat(published.getControl().getEventId()).isEqualTo(id);
            assertThat(published.getHeadersMap()).containsExactly(Map.entry("mesh-control", "PUBLISHED"));
            EventEnvelope event = consumer.awaitEvent(id);
            assertThat(event.getPayloadBytes().toStringUtf8()).isEqualTo("{\"a\":1}");
            assertThat(event.getHeadersMap()).containsEntry("region", "eu").containsEntry("source", "/ws");

            producer.send("{\"eventId\":\"bad-1\",\"source\":\"/ws\",\"topic\":\"ws-published/a\"}");
            var error = producer.awaitError(0);
            assertThat(error.getErrorCode()).isEqualTo("INVALID_EVENT");
            assertThat(error.getField()).isEqualTo("type");
            assertThat(error.getEventId()).isEqualTo("bad-1");
            assertThat(producer.awaitFrame(f -> f.getControl().getType() == io.meshwork.schema.v1.StreamControl.Type.ERROR)
                    .getHeadersMap()).containsEntry("mesh-control", "ERROR").containsEntry("mesh-error-code", "INVALID_EVENT");
            assertThat(producer.isOpen()).isTrue();
        }
    }
}
