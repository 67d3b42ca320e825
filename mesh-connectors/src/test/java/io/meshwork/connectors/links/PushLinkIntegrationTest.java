package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.embedded.wan.WanLink;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The push link us-east-1 → eu-west-1 on two real clusters joined by an emulated WAN link: the
 * origin's spool, written in transactions as the router writes it, lands in eu-west-1's
 * {@code us-east-1.mesh.link.eu-west-1} through the link SMTs, across a cut and a restart.
 */
@Tag("integration")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PushLinkIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String SPOOL = MeshKafkaTopics.link(EU);
    private static final String ARRIVALS = MeshKafkaTopics.arrivals(US, EU);
    private static final int PARTITIONS = 3;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void relaysInOrderThroughTheLinkGuardsAcrossACutAndARestartLosingNothing() throws Exception {
        try (WanLink link = WanLink.open(US, EU, Duration.ofMillis(60));
             var eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU).withExtraListener(new ExtraListener("FROM_US", link.port())));
             var us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            link.forwardTo(new InetSocketAddress("127.0.0.1", eu.listenerPort("FROM_US")));
            us.createTopic(SPOOL, PARTITIONS, Map.of("compression.type", "zstd"));
            eu.createTopic(ARRIVALS, PARTITIONS, Map.of());
            KafkaClients euAcrossTheWan = KafkaClients.of("127.0.0.1:" + link.port());
            List<ConsumerRecord<byte[], byte[]>> arrived = new CopyOnWriteArrayList<>();

            try (Spool spool = new Spool(us.bootstrapServers()); var reader = new ArrivalReader(eu.bootstrapServers(), arrived)) {
                PushLink pushLink = PushLink.start(US, EU, KafkaClients.of(us.bootstrapServers()), euAcrossTheWan, DELIVERY_TIMEOUT);
                List<String> before = spool.events("before", 30);
                spool.write(event("loop", 0, "eu-west-1", "eu-west-1,us-east-1", "14"));
                spool.write(event("spent", 1, "ap-southeast-1", "ap-southeast-1,us-east-1", "0"));
                spool.abort(event("aborted", 2, US, US, "16"));
                awaitArrived(arrived, before);
                await("progress committed for everything eu-west-1 acknowledged").atMost(Duration.ofSeconds(30))
                        .until(() -> committed(us).equals(endOffsets(us)));

                link.cut();
                List<String> duringCut = spool.events("cut", 30);
                await("the link giving up on its sends and rewinding").atMost(Duration.ofSeconds(60)).until(() -> pushLink.rewinds() > 0);
                link.heal();
                awaitArrived(arrived, duringCut);
                pushLink.close();

                List<String> whileStopped = spool.events("stopped", 10);
                try (PushLink restarted = PushLink.start(US, EU, KafkaClients.of(us.bootstrapServers()), euAcrossTheWan, DELIVERY_TIMEOUT)) {
                    awaitArrived(arrived, whileStopped);
                }

                Set<String> ids = ids(arrived);
                assertThat(ids).as("every event, nothing the guards or the abort dropped")
                        .containsExactlyInAnyOrderElementsOf(concat(before, duringCut, whileStopped));
                assertThat(arrived.stream().filter(r -> before.contains(id(r))))
                        .as("acknowledged and committed before the cut: never sent again").hasSize(before.size());
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    int p = partition;
                    List<String> firstArrivals = new ArrayList<>(new LinkedHashSet<>(arrived.stream()
                            .filter(r -> r.partition() == p).map(PushLinkIntegrationTest::id).toList()));
                    assertThat(firstArrivals).as("partition %d in the spool's order", p)
                            .isEqualTo(concat(before, duringCut, whileStopped).stream().filter(id -> Spool.partitionOf(id) == p).toList());
                }
                for (ConsumerRecord<byte[], byte[]> record : arrived) {
                    assertThat(header(record, "mesh_path")).isEqualTo("us-east-1,eu-west-1");
                    assertThat(header(record, "mesh_hops")).isEqualTo("15");
                    assertThat(Long.parseLong(header(record, "mesh_link_offset"))).as("offset in the spool of %s", id(record))
                            .isEqualTo(spool.offsetOf(id(record)));
                }
            }
        }
    }

    @Test
    void aRecordTheNeighbourRefusesForGoodGoesToTheOriginsDeadLetterTopicAndTheLinkGoesOn() throws Exception {
        try (var eu = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU));
             var us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            us.createTopic(SPOOL, PARTITIONS, Map.of());
            us.createTopic(MeshKafkaTopics.DLQ, 1, Map.of());
            // eu-west-1 takes smaller records than us-east-1: one event that fits the spool never fits there.
            eu.createTopic(ARRIVALS, PARTITIONS, Map.of("max.message.bytes", "20000"));
            List<ConsumerRecord<byte[], byte[]>> arrived = new CopyOnWriteArrayList<>();
            try (Spool spool = new Spool(us.bootstrapServers()); var reader = new ArrivalReader(eu.bootstrapServers(), arrived);
                 PushLink pushLink = PushLink.start(US, EU, KafkaClients.of(us.bootstrapServers()),
                         KafkaClients.of(eu.bootstrapServers()), DELIVERY_TIMEOUT)) {
                List<String> before = spool.events("small", 9);
                ProducerRecord<byte[], byte[]> big = event("big-1", 1, US, US, "16");
                byte[] incompressible = new byte[100_000];
                new java.util.Random(7).nextBytes(incompressible);
                spool.write(new ProducerRecord<>(SPOOL, 1, big.key(), incompressible, big.headers()));
                List<String> after = spool.events("later", 9);

                awaitArrived(arrived, concat(before, after));
                List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
                try (var dlq = new KafkaConsumer<byte[], byte[]>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, us.bootstrapServers()),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                    TopicPartition partition = new TopicPartition(MeshKafkaTopics.DLQ, 0);
                    dlq.assign(List.of(partition));
                    dlq.seekToBeginning(List.of(partition));
                    await("the refused event in us-east-1's mesh.dlq").atMost(Duration.ofSeconds(30)).until(() -> {
                        dlq.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
                        return !deadLetters.isEmpty();
                    });
                }
                ConsumerRecord<byte[], byte[]> letter = deadLetters.get(0);
                assertThat(id(letter)).isEqualTo("big-1");
                assertThat(letter.value()).isEqualTo(incompressible);
                assertThat(header(letter, "mesh_dlq_field")).isEqualTo("link");
                assertThat(header(letter, "mesh_dlq_reason")).contains("eu-west-1 refused it").contains("RecordTooLarge");
                assertThat(ids(arrived)).doesNotContain("big-1");
                assertThat(pushLink.rewinds()).as("a refused record is not a reason to re-send the backlog").isZero();
                await("progress committed past the refused event").atMost(Duration.ofSeconds(30))
                        .until(() -> committed(us).equals(endOffsets(us)));
            }
        }
    }

    private static void awaitArrived(List<ConsumerRecord<byte[], byte[]>> arrived, List<String> ids) {
        await("arrival of " + ids.size() + " events").atMost(Duration.ofSeconds(90)).until(() -> ids(arrived).containsAll(ids));
    }

    private static Map<TopicPartition, Long> committed(EmbeddedKafkaCluster us) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = us.admin().listConsumerGroupOffsets("meshwork-link-us-east-1-to-eu-west-1")
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> endOffsets(EmbeddedKafkaCluster us) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, PARTITIONS).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(SPOOL, p), p -> OffsetSpec.latest()));
        return us.admin().listOffsets(latest).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(PushLinkIntegrationTest::id).collect(Collectors.toSet());
    }

    private static String id(ConsumerRecord<byte[], byte[]> record) {
        return header(record, "ce_id");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static ProducerRecord<byte[], byte[]> event(String id, int partition, String origin, String path, String hops) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(SPOOL, partition, utf8("key-" + partition), utf8("{\"id\":\"" + id + "\"}"));
        record.headers().add("ce_id", utf8(id));
        record.headers().add("mesh_origin", utf8(origin));
        record.headers().add("mesh_path", utf8(path));
        record.headers().add("mesh_hops", utf8(hops));
        record.headers().add("mesh_dest", utf8(EU));
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** us-east-1's spool for eu-west-1, written in transactions as the router writes it. */
    private static final class Spool implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final Map<String, Long> offsets = new java.util.concurrent.ConcurrentHashMap<>();

        Spool(String bootstrap) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-router-us-east-1"), new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }

        static int partitionOf(String id) {
            return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % PARTITIONS;
        }

        /** Writes {@code count} events from us-east-1 named {@code <prefix>-<n>}, a few per transaction. */
        List<String> events(String prefix, int count) throws Exception {
            List<String> ids = new ArrayList<>();
            for (int n = 0; n < count; n += 5) {
                producer.beginTransaction();
                List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
                List<String> batch = new ArrayList<>();
                for (int i = n; i < Math.min(count, n + 5); i++) {
                    String id = prefix + "-" + i;
                    batch.add(id);
                    sent.add(producer.send(event(id, partitionOf(id), US, US, "16")));
                }
                producer.commitTransaction();
                for (int i = 0; i < batch.size(); i++) {
                    offsets.put(batch.get(i), sent.get(i).get().offset());
                }
                ids.addAll(batch);
            }
            return ids;
        }

        void write(ProducerRecord<byte[], byte[]> record) throws Exception {
            producer.beginTransaction();
            producer.send(record);
            producer.commitTransaction();
        }

        void abort(ProducerRecord<byte[], byte[]> record) throws Exception {
            producer.beginTransaction();
            producer.send(record).get();
            producer.abortTransaction();
        }

        long offsetOf(String id) {
            return offsets.get(id);
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    /** Reads eu-west-1's {@code us-east-1.mesh.link.eu-west-1} on a thread of its own. */
    private static final class ArrivalReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        ArrivalReader(String bootstrap, List<ConsumerRecord<byte[], byte[]>> arrived) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(ARRIVALS, p)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            thread = new Thread(() -> {
                while (running) {
                    consumer.poll(Duration.ofMillis(100)).forEach(arrived::add);
                }
                consumer.close();
            }, "arrival-reader");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
