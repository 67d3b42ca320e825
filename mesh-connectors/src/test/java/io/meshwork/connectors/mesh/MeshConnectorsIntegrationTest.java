package io.meshwork.connectors.mesh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Both mesh connectors on a real Connect worker (distributed mode) against one region's cluster,
 * which also holds the worker's own topics. The checks read and write the region's topics as the
 * contract describes them (DESIGN.md 2.1, 2.2): CloudEvents Kafka binding headers on
 * {@code mesh.events}, interest records on {@code mesh.interest}.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MeshConnectorsIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final int REFUSED_ABOVE = 16 * 1024;

    private static EmbeddedKafkaCluster kafka;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
        // Small enough that a test can write an event the broker refuses; every other event here is far smaller.
        kafka.createTopic(MeshKafkaTopics.EVENTS, 3, Map.of("max.message.bytes", Integer.toString(REFUSED_ABOVE)));
        kafka.createTopic(MeshKafkaTopics.INTEREST, 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic("erp-orders", 1, Map.of());
        kafka.createTopic("shop-out", 1, Map.of());
        worker = ConnectWorker.start(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, String> regionConfig(String connectorClass) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", connectorClass);
        config.put("tasks.max", "1");
        config.put(MeshRegionConfig.REGION, REGION);
        config.put(MeshRegionConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        return config;
    }

    @Test
    void sinkPublishesRecordsAsCloudEventsAndDeadLettersTheUnmappable() throws Exception {
        Map<String, String> config = regionConfig(MeshSinkConnector.class.getName());
        config.put("topics", "erp-orders");
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter.schemas.enable", "false");
        config.put(MeshSinkConfig.TOPIC_SOURCE, "field");
        config.put(MeshSinkConfig.TOPIC_FIELD, "region");
        config.put(MeshSinkConfig.TOPIC_TEMPLATE, "orders/{}/created");
        config.put(MeshSinkConfig.CE_TYPE, "com.example.order.created");
        config.put(MeshSinkConfig.CE_SOURCE, "/erp");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "erp-orders-dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        worker.put("mesh-sink", config);
        worker.awaitRunning("mesh-sink");

        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("erp-orders", "order-1", "{\"region\":\"eu\",\"amountCents\":12000}"));
            producer.send(new ProducerRecord<>("erp-orders", "order-2", "{\"amountCents\":5}"));
            producer.send(new ProducerRecord<>("erp-orders", "order-3", "{\"region\":\"ap\",\"amountCents\":300}"));
        }

        List<ConsumerRecord<String, byte[]>> events = await("events on mesh.events").atMost(Duration.ofSeconds(60))
                .until(() -> read(MeshKafkaTopics.EVENTS).stream().filter(r -> "/erp".equals(header(r, "ce_source"))).toList(),
                        found -> found.size() >= 2);
        assertThat(events).hasSize(2);
        ConsumerRecord<String, byte[]> eu = events.stream().filter(r -> "order-1".equals(r.key())).findFirst().orElseThrow();
        assertThat(header(eu, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(eu, "ce_id")).startsWith("erp-orders-");
        assertThat(header(eu, "ce_type")).isEqualTo("com.example.order.created");
        assertThat(header(eu, "ce_meshtopic")).isEqualTo("orders/eu/created");
        assertThat(header(eu, "ce_time")).isNotBlank();
        assertThat(header(eu, "content-type")).isEqualTo("application/json");
        assertThat(header(eu, "mesh_origin")).isEqualTo(REGION);
        assertThat(new ObjectMapper().readTree(eu.value())).isEqualTo(new ObjectMapper().readTree("{\"region\":\"eu\",\"amountCents\":12000}"));
        assertThat(events).extracting(r -> header(r, "ce_meshtopic")).containsExactlyInAnyOrder("orders/eu/created", "orders/ap/created");

        List<ConsumerRecord<String, byte[]>> dead = await("the unmappable record in the DLQ").atMost(Duration.ofSeconds(60))
                .until(() -> read("erp-orders-dlq"), found -> !found.isEmpty());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("order-2");
        assertThat(header(dead.get(0), "__connect.errors.exception.message"))
                .contains("no field 'region'").contains(MeshSinkConfig.TOPIC_FIELD);
    }

    @Test
    void sourceRegistersInterestAndWritesMatchingEventsOnceAcrossAStop() throws Exception {
        Map<String, String> config = regionConfig(MeshSourceConnector.class.getName());
        config.put(MeshSourceConfig.TOPIC_PATTERN, "shop/+/created");
        config.put(MeshSourceConfig.SELECTOR, "amountCents > 100");
        config.put(MeshSourceConfig.TARGET_TOPIC, "shop-out");
        config.put(MeshSourceConfig.START, "earliest");
        worker.put("mesh-source", config);
        worker.awaitRunning("mesh-source");

        Map<String, byte[]> interest = await("interest and lease on mesh.interest").atMost(Duration.ofSeconds(30))
                .until(MeshConnectorsIntegrationTest::interest, entries -> entries.size() >= 2);
        String subscription = InterestKey.subscription("connect-mesh-source", "shop/+/created", "amountCents > 100").encode();
        assertThat(interest).containsKeys(subscription, InterestKey.lease("connect-mesh-source").encode());
        assertThat(new String(interest.get(subscription), UTF_8)).isEqualTo(REGION);
        EdgeLease lease = EdgeLease.decode(interest.get(InterestKey.lease("connect-mesh-source").encode()));
        assertThat(lease.region()).isEqualTo(REGION);

        publish("e1", "shop/eu/created", 500);
        publish("e2", "shop/eu/cancelled", 500); // another topic
        publish("e3", "shop/us/created", 5);     // the selector refuses it
        publish("e4", "shop/ap/created", 1000);
        assertThat(awaitIds("e4")).containsExactly("e1", "e4");

        worker.stop("mesh-source");
        publish("e5", "shop/eu/created", 700); // while stopped: read on resume, from the stored position
        assertThat(interest()).as("a stop keeps the interest (its lease ends it)").containsKey(subscription)
                .extractingByKey(subscription).isNotNull();
        worker.resume("mesh-source");
        publish("e6", "shop/eu/created", 800);
        assertThat(awaitIds("e6")).containsExactly("e1", "e4", "e5", "e6");
    }

    @Test
    void aWriteTheBrokerRefusesMakesFlushThrowSoConnectCommitsNoOffset() {
        MeshSinkTask task = new MeshSinkTask();
        task.initialize(new NoErrantReporter());
        task.start(Map.of(MeshRegionConfig.REGION, REGION, MeshRegionConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(), "name", "refused"));
        try {
            // Under mesh.max.payload.bytes (1 MiB), so mapped and sent; over mesh.events' max.message.bytes.
            task.put(List.of(new SinkRecord("erp-big", 0, Schema.STRING_SCHEMA, "k", Schema.BYTES_SCHEMA, new byte[2 * REFUSED_ABOVE], 7)));
            assertThatThrownBy(() -> task.flush(Map.of())).isInstanceOf(ConnectException.class)
                    .hasMessageContaining("offsets are not committed").hasMessageContaining("region " + REGION);
            task.flush(Map.of()); // the failure is reported once; a later flush with nothing failed succeeds
        } finally {
            task.stop();
        }
    }

    /** What a worker gives a task with {@code errors.tolerance=none}: no errant record reporter. */
    private static final class NoErrantReporter implements SinkTaskContext {
        @Override public Map<String, String> configs() { return Map.of(); }
        @Override public void offset(Map<TopicPartition, Long> offsets) { }
        @Override public void offset(TopicPartition partition, long offset) { }
        @Override public void timeout(long timeoutMs) { }
        @Override public Set<TopicPartition> assignment() { return Set.of(); }
        @Override public void pause(TopicPartition... partitions) { }
        @Override public void resume(TopicPartition... partitions) { }
        @Override public void requestCommit() { }
        @Override public ErrantRecordReporter errantRecordReporter() { return null; }
        @Override public PluginMetrics pluginMetrics() { return null; }
    }

    @Test
    void theWorkerRejectsABadPatternOrSelectorNamingTheKey() {
        Map<String, String> config = regionConfig(MeshSourceConnector.class.getName());
        config.put(MeshSourceConfig.TOPIC_PATTERN, "shop/#/created");
        config.put(MeshSourceConfig.SELECTOR, "amountCents >");
        config.put(MeshSourceConfig.TARGET_TOPIC, "out");
        config.put("name", "bad-source");
        JsonNode answer = worker.validate(MeshSourceConnector.class.getName(), config);

        Map<String, String> errors = new HashMap<>();
        answer.path("configs").forEach(entry -> {
            if (!entry.path("value").path("errors").isEmpty()) {
                errors.put(entry.path("value").path("name").asText(), entry.path("value").path("errors").get(0).asText());
            }
        });
        assertThat(errors).containsOnlyKeys(MeshSourceConfig.TOPIC_PATTERN, MeshSourceConfig.SELECTOR);
        assertThat(answer.path("error_count").asInt()).isEqualTo(2);
        assertThat(errors.get(MeshSourceConfig.TOPIC_PATTERN)).contains("not a valid topic pattern");
        assertThat(errors.get(MeshSourceConfig.SELECTOR)).contains("not a valid selector");
    }

    /** Publishes as a Kafka-native publisher does (DESIGN.md 2.4): the binding's headers on mesh.events, one key so one partition. */
    private static void publish(String id, String topic, int amountCents) throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshKafkaTopics.EVENTS, "shop",
                    ("{\"amountCents\":" + amountCents + "}").getBytes(UTF_8));
            record.headers().add("ce_specversion", "1.0".getBytes(UTF_8)).add("ce_id", id.getBytes(UTF_8))
                    .add("ce_source", "/shop".getBytes(UTF_8)).add("ce_type", "shop.order".getBytes(UTF_8))
                    .add("ce_meshtopic", topic.getBytes(UTF_8)).add("content-type", "application/json".getBytes(UTF_8));
            producer.send(record).get();
        }
    }

    /** Waits until the event {@code last} is on the target topic; returns every event id there, in order. */
    private static List<String> awaitIds(String last) {
        return await(last + " on the Connect topic").atMost(Duration.ofSeconds(60))
                .until(() -> read("shop-out").stream().map(r -> header(r, "ce_id")).toList(), ids -> ids.contains(last));
    }

    /** The latest value of each key on mesh.interest (null for a tombstone). */
    private static Map<String, byte[]> interest() {
        Map<String, byte[]> latest = new HashMap<>();
        read(MeshKafkaTopics.INTEREST).forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        return ConnectWorker.readAll(kafka.bootstrapServers(), topic);
    }

    private static String header(ConsumerRecord<?, ?> record, String key) {
        return ConnectWorker.header(record, key);
    }
}
