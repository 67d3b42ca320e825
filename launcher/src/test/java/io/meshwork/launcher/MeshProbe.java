package io.meshwork.launcher;

import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what crossed (or did not cross) the links of a running embedded mesh. */
final class MeshProbe {

    private MeshProbe() {
    }

    /** Sum of the end offsets of {@code topic} in {@code region}'s cluster: records ever written to it. */
    static long recordsIn(EmbeddedMesh mesh, String region, String topic) throws Exception {
        Admin admin = mesh.cluster(region).admin();
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = java.util.stream.IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    /**
     * The {@code ce_id} of every committed record in {@code topic} of {@code region}'s cluster, in
     * partition order. Counts records, not offsets: transaction markers take offsets too.
     */
    static List<String> eventIdsIn(EmbeddedMesh mesh, String region, String topic) {
        try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.region(region).bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> ids = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(java.time.Duration.ofMillis(200))) {
                    var id = record.headers().lastHeader("ce_id");
                    ids.add(id == null ? "?" : new String(id.value(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            return ids;
        }
    }

    /** {@code mesh_link_events_total{from,to}} as this JVM's routers counted it. */
    static double linkEvents(String from, String to) {
        Counter counter = MeshMetrics.registry().find("mesh.link.events").tags("from", from, "to", to).counter();
        return counter == null ? 0 : counter.count();
    }
}
