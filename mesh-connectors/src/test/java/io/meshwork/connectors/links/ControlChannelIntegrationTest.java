package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.embedded.wan.WanLink;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control half of a link on two real clusters joined by an emulated WAN link (eu-west-1 → us-east-1). */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ControlChannelIntegrationTest {

    private static final String EU = "eu-west-1";
    private static final String US = "us-east-1";

    @Test
    void relaysControlRecordsWithTheMeasuredRttSkipsWhatCameFromHereAndSurvivesACutAndARestart() throws Exception {
        try (WanLink link = WanLink.open(US, EU, Duration.ofMillis(60));
             var eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU).withExtraListener(new ExtraListener("FROM_US", link.port())));
             var us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            link.forwardTo(new InetSocketAddress("127.0.0.1", eu.listenerPort("FROM_US")));
            new TopicApplier(eu.admin(), EU).apply(TopicContract.embedded(EU, List.of(US)).topics(), TopicApplier.Mode.CREATE_MISSING);
            KafkaClients euAcrossTheWan = KafkaClients.of("127.0.0.1:" + link.port());
            List<ConsumerRecord<String, byte[]>> relayed = new CopyOnWriteArrayList<>();

            try (var producer = producer(eu.bootstrapServers()); var reader = new RelayedReader(us.bootstrapServers(), relayed)) {
                ControlChannel channel = ControlChannel.start(EU, US, euAcrossTheWan, KafkaClients.of(us.bootstrapServers()), 1, Duration.ofMillis(300));
                try {
                    producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|eu-west-1", bytes("heartbeat-1"))).get();
                    ProducerRecord<String, byte[]> fromUs = new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|us-east-1", bytes("echo"));
                    fromUs.headers().add("mesh_learned_from", bytes(US));
                    producer.send(fromUs).get();

                    reader.awaitValue("heartbeat-1");
                    await().atMost(Duration.ofSeconds(20)).until(() -> channel.rttMs().isPresent());
                    assertThat(channel.rttMs().getAsLong()).as("the link's 60 ms RTT, measured").isBetween(60L, 1_000L);
                    producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|eu-west-1", bytes("heartbeat-2"))).get();
                    ConsumerRecord<String, byte[]> second = reader.awaitValue("heartbeat-2");
                    assertThat(second.headers().lastHeader("mesh_link_rtt_ms")).isNotNull();

                    link.cut();
                    producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|eu-west-1", bytes("during-cut"))).get();
                    link.heal();
                    reader.awaitValue("during-cut");
                } finally {
                    channel.close();
                }
                producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|eu-west-1", bytes("after-restart"))).get();
                try (ControlChannel restarted = ControlChannel.start(EU, US, euAcrossTheWan, KafkaClients.of(us.bootstrapServers()), 1, Duration.ofMillis(300))) {
                    reader.awaitValue("after-restart");
                }
            }
            assertThat(relayed).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .as("each once, in order, never the record learned from us-east-1")
                    .containsExactly("heartbeat-1", "heartbeat-2", "during-cut", "after-restart");
        }
    }

    /**
     * The broker refuses a record (the target's {@code max.message.bytes} is below its size): the
     * channel must neither commit past it nor let anything after it through, and once the target
     * accepts it again every record arrives once, in order.
     */
    @Test
    void aRecordTheTargetRefusesIsNeitherCommittedPastNorOvertakenAndArrivesOnceTheTargetAcceptsIt() throws Exception {
        try (var eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU));
             var us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            new TopicApplier(eu.admin(), EU).apply(TopicContract.embedded(EU, List.of(US)).topics(), TopicApplier.Mode.CREATE_MISSING);
            List<ConsumerRecord<String, byte[]>> relayed = new CopyOnWriteArrayList<>();
            TopicPartition source = new TopicPartition(MeshKafkaTopics.ROUTES, 0);
            String big = "big-advert-" + "x".repeat(4_000);

            try (var producer = producer(eu.bootstrapServers()); var reader = new RelayedReader(us.bootstrapServers(), relayed);
                 ControlChannel channel = ControlChannel.start(EU, US, KafkaClients.of(eu.bootstrapServers()), KafkaClients.of(us.bootstrapServers()), 1, Duration.ofMillis(300))) {
                producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ad|1", bytes("advert-1"))).get();
                reader.awaitValue("advert-1");
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(eu, source) == 1L);

                setMaxMessageBytes(us, MeshKafkaTopics.remoteRoutes(EU), "1024");
                producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ad|2", bytes(big))).get();
                producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ad|3", bytes("advert-3"))).get();
                producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ad|4", bytes("advert-4"))).get();

                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> committed(eu, source) == 1L);
                assertThat(values(relayed)).as("nothing overtakes the refused record").containsExactly("advert-1");

                setMaxMessageBytes(us, MeshKafkaTopics.remoteRoutes(EU), "1048588");
                reader.awaitValue("advert-4");
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(eu, source) == 4L);
            }
            assertThat(values(relayed)).as("each once, in order").containsExactly("advert-1", big, "advert-3", "advert-4");
        }
    }

    /**
     * A router instance killed inside a transaction leaves it open: read_committed readers of
     * {@code mesh.routes} see nothing past it until the broker times it out. The beats of the other
     * instances, on {@code mesh.beats}, must still cross, and only those sent after the channel started.
     */
    @Test
    void relaysNewRouterBeatsWhileAnOpenTransactionHoldsBackTheNeighboursControlRecords() throws Exception {
        try (var eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU));
             var us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            new TopicApplier(eu.admin(), EU).apply(TopicContract.embedded(EU, List.of(US)).topics(), TopicApplier.Mode.CREATE_MISSING);
            List<ConsumerRecord<String, byte[]>> relayed = new CopyOnWriteArrayList<>();

            try (var producer = producer(eu.bootstrapServers()); var dying = transactionalProducer(eu.bootstrapServers());
                 var reader = new RelayedReader(us.bootstrapServers(), relayed)) {
                producer.send(new ProducerRecord<>(MeshKafkaTopics.BEATS, "beat|eu-west-1", bytes("stale-beat"))).get();
                try (ControlChannel channel = ControlChannel.start(EU, US, KafkaClients.of(eu.bootstrapServers()),
                        KafkaClients.of(us.bootstrapServers()), 1, Duration.ofMillis(300))) {
                    producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|eu-west-1", bytes("link-state-1"))).get();
                    reader.awaitValue("link-state-1");

                    dying.beginTransaction();
                    dying.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ad|1", bytes("uncommitted-advert"))).get();
                    dying.flush(); // and never commits, as a process killed mid-transaction
                    producer.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, "ls|eu-west-1", bytes("held-back-link-state"))).get();
                    producer.send(new ProducerRecord<>(MeshKafkaTopics.BEATS, "beat|eu-west-1", bytes("beat-1"))).get();

                    reader.awaitValue("beat-1");
                    assertThat(values(relayed)).as("behind the open transaction").doesNotContain("held-back-link-state")
                            .as("sent before the channel started").doesNotContain("stale-beat");

                    dying.abortTransaction();
                    reader.awaitValue("held-back-link-state");
                }
            }
            assertThat(values(relayed)).doesNotContain("uncommitted-advert", "stale-beat");
        }
    }

    private static KafkaProducer<String, byte[]> transactionalProducer(String bootstrap) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "dying-router"), new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static long committed(EmbeddedKafkaCluster neighbour, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = neighbour.admin().listConsumerGroupOffsets("meshwork-control-" + US)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    private static void setMaxMessageBytes(EmbeddedKafkaCluster cluster, String topic, String bytes) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        cluster.admin().incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("max.message.bytes", bytes), AlterConfigOp.OpType.SET)))).all().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> bytes.equals(cluster.admin().describeConfigs(List.of(resource)).all()
                .get(10, TimeUnit.SECONDS).get(resource).get("max.message.bytes").value()));
    }

    private static List<String> values(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Reads {@code eu-west-1.mesh.routes} in us-east-1 on a thread of its own. */
    private static final class RelayedReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<ConsumerRecord<String, byte[]>> relayed;
        private final Thread thread;
        private volatile boolean running = true;

        RelayedReader(String bootstrap, List<ConsumerRecord<String, byte[]>> relayed) {
            this.relayed = relayed;
            // As the router reads it: the channel writes each batch in a transaction.
            this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(() -> {
                TopicPartition partition = new TopicPartition(MeshKafkaTopics.remoteRoutes(EU), 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> !consumer.partitionsFor(partition.topic()).isEmpty());
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(relayed::add);
                }
                consumer.close();
            }, "relayed-reader");
            thread.start();
        }

        ConsumerRecord<String, byte[]> awaitValue(String value) {
            return await().atMost(Duration.ofSeconds(60)).until(() -> relayed.stream()
                    .filter(r -> new String(r.value(), StandardCharsets.UTF_8).equals(value)).findFirst().orElse(null), r -> r != null);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
