package io.meshwork.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.LinkState;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouteAdvert;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterConfig;
import io.meshwork.schema.control.v1.ControlProto;
import io.meshwork.topology.Link;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router of this release in a mesh whose other routers still run the previous one (control
 * protocol version 1, JSON), on a real cluster: it routes by their adverts and link states, and
 * a record it cannot read goes to {@code mesh.dlq} without stopping it.
 */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ControlProtocolUpgradeIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final List<Link> LINKS = List.of(
            new Link(US, EU, Duration.ofMillis(70)), new Link(EU, AP, Duration.ofMillis(120)), new Link(US, AP, Duration.ofMillis(180)));

    @TempDir
    Path stateDir;

    @Test
    void routesByTheVersion1RecordsOfRoutersNotYetUpgradedAndDeadLettersAKindItDoesNotKnow() throws Exception {
        try (EmbeddedKafkaCluster us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US));
             KafkaProducer<String, byte[]> producer = producer(us.bootstrapServers())) {
            createTopics(us);
            long now = System.currentTimeMillis();
            // Left in the compacted mesh.routes by this region's router of the previous release.
            send(producer, MeshKafkaTopics.ROUTES, new RouteAdvert(EU, "inventory/#", "", 1, true, now).key(),
                    Version1Records.advert(EU, "inventory/#", 1, true, now));
            // Relayed from eu-west-1, whose router still runs the previous release: its own
            // heartbeat, ap-southeast-1's interest, and ap-southeast-1's link state, in which it
            // no longer hears us-east-1 (so its traffic must go round through eu-west-1).
            String fromEu = MeshKafkaTopics.remoteRoutes(EU);
            send(producer, fromEu, LinkState.KEY_PREFIX + EU, Version1Records.linkState(EU, 10, now, Map.of(US, true, AP, true)));
            RouteAdvert orders = new RouteAdvert(AP, "orders/#", "", 5, true, now);
            send(producer, fromEu, orders.key(), Version1Records.advert(AP, "orders/#", 5, true, now));
            send(producer, fromEu, LinkState.KEY_PREFIX + AP, Version1Records.linkState(AP, 20, now, Map.of(US, false, EU, true)));

            try (MeshRouter router = MeshRouter.start(config(us), Duration.ofSeconds(90));
                 TopicReader toEu = new TopicReader(us.bootstrapServers(), MeshKafkaTopics.link(EU))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(router.regionsWanting("orders/1")).containsExactly(AP);
                    assertThat(router.regionsWanting("inventory/1")).containsExactly(EU);
                    assertThat(router.nextHop(AP)).hasValue(EU);
                });

                publish(producer, "orders-1", "orders/1");
                publish(producer, "inventory-1", "inventory/1");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(toEu.destinationsById())
                        .containsEntry("orders-1", AP).containsEntry("inventory-1", EU));

                // A kind of a later release, then an advert this release reads: the first goes to
                // mesh.dlq with the reason, the flood and the routing go on.
                byte[] future = ControlProto.ControlRecord.newBuilder().setVersion(3)
                        .setUnknownFields(UnknownFieldSet.newBuilder().addField(12, UnknownFieldSet.Field.newBuilder()
                                .addLengthDelimited(ByteString.copyFromUtf8("later")).build()).build())
                        .build().toByteArray();
                send(producer, fromEu, "future|" + AP, future);
                RouteAdvert payments = new RouteAdvert(AP, "payments/#", "", 6, true, System.currentTimeMillis());
                send(producer, fromEu, payments.key(), ControlCodec.encode(payments));

                try (TopicReader dlq = new TopicReader(us.bootstrapServers(), MeshKafkaTopics.DLQ)) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(dlq.records()).singleElement()
                            .satisfies(record -> {
                                assertThat(record.key()).isEqualTo("future|" + AP);
                                assertThat(header(record, "mesh_dlq_field")).isEqualTo("kind");
                                assertThat(header(record, "mesh_dlq_reason")).contains("unknown kind (field 12");
                            }));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> router.regionsWanting("payments/1").contains(AP));
                publish(producer, "payments-1", "payments/1");
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(toEu.destinationsById())
                        .containsEntry("payments-1", AP));
                assertThat(router.isRunning()).isTrue();

                try (TopicReader routes = new TopicReader(us.bootstrapServers(), MeshKafkaTopics.ROUTES)) {
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(routes.records())
                            .extracting(ConsumerRecord::key).contains(orders.key(), RouteAck.of(US, orders).key()));
                    assertThat(routes.records()).filteredOn(record -> record.key().equals(orders.key())
                                    || record.key().equals(RouteAck.of(US, orders).key()) || record.key().equals(LinkState.KEY_PREFIX + US))
                            .as("what this router writes is version 2").allSatisfy(record ->
                                    assertThat(ControlCodec.isVersion1(record.value())).isFalse());
                }
            }
        }
    }

    private RouterConfig config(EmbeddedKafkaCluster us) {
        // A long link timeout: the version 1 heartbeat above is the only one eu-west-1 sends.
        return new RouterConfig(US, us.bootstrapServers(), List.of(EU, AP), LINKS, 1, stateDir.resolve("router"),
                Duration.ofMillis(500), RouterConfig.DEFAULT_DEDUP_WINDOW, RouterConfig.DEFAULT_HEARTBEAT_INTERVAL,
                Duration.ofMinutes(5), RouterConfig.DEFAULT_ORDER_HOLD, RouterConfig.DEFAULT_COMMIT_INTERVAL);
    }

    private static void createTopics(EmbeddedKafkaCluster cluster) {
        new TopicApplier(cluster.admin(), US).apply(TopicContract.embedded(US, List.of(EU, AP)).topics(), TopicApplier.Mode.CREATE_MISSING);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static void publish(KafkaProducer<String, byte[]> producer, String id, String topic) throws Exception {
        ProducerRecord<String, byte[]> event = new ProducerRecord<>(MeshKafkaTopics.EVENTS, topic, utf8("{}"));
        event.headers().add("ce_specversion", utf8("1.0")).add("ce_id", utf8(id)).add("ce_source", utf8("/tests"))
                .add("ce_type", utf8("test.event")).add("ce_meshtopic", utf8(topic));
        producer.send(event).get(30, TimeUnit.SECONDS);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads one topic from its beginning, committed records only (the router writes in transactions). */
    private static final class TopicReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();

        TopicReader(String bootstrap, String topic) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.CLIENT_ID_CONFIG, "control-protocol-it-" + UUID.randomUUID(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Everything read so far, after one more poll. */
        List<ConsumerRecord<String, byte[]>> records() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return List.copyOf(records);
        }

        /** Event id → {@code mesh_dest} of every record read so far. */
        Map<String, String> destinationsById() {
            Map<String, String> destinations = new java.util.HashMap<>();
            for (ConsumerRecord<String, byte[]> record : records()) {
                Optional.ofNullable(header(record, "ce_id")).ifPresent(id -> destinations.put(id, header(record, "mesh_dest")));
            }
            return destinations;
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(2));
        }
    }
}
