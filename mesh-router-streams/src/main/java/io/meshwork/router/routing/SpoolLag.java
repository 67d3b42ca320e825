package io.meshwork.router.routing;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How far each spool ({@code mesh.link.<neighbour>}) is ahead of the neighbour's router: from
 * the highest offset the neighbour reports having processed per partition (its link state), the
 * first record after it and its age. Published as {@code mesh_link_spool_records{from,to}}
 * (offsets from that record to the end, as Kafka's consumer lag counts them) and
 * {@code mesh_link_spool_seconds{from,to}} (age of the oldest unprocessed event); both -1 while
 * the neighbour has not reported. The first record is read rather than computed from offsets,
 * so the transaction markers that follow the last event do not count as lag. A partition the
 * neighbour never reported counts from its beginning.
 */
final class SpoolLag implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SpoolLag.class);

    private final String region;
    private final RoutingTable routes;
    private final KafkaConsumer<String, byte[]> reader;
    private final Map<String, AtomicLong> records = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seconds = new ConcurrentHashMap<>();

    SpoolLag(String region, KafkaClients kafka, List<String> neighbours, RoutingTable routes) {
        this.region = region;
        this.routes = routes;
        this.reader = kafka.consumer("router " + region + " spool lag", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-spool-lag-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new StringDeserializer(), new ByteArrayDeserializer());
        for (String neighbour : neighbours) {
            records.put(neighbour, gauge("mesh.link.spool.records",
                    "Offsets in the spool towards a neighbour after the last event its router processed (-1: not reported)", neighbour));
            seconds.put(neighbour, gauge("mesh.link.spool.seconds",
                    "Age of the oldest event in the spool towards a neighbour that its router has not processed (-1: not reported)",
                    neighbour));
        }
    }

    private AtomicLong gauge(String name, String description, String neighbour) {
        AtomicLong value = new AtomicLong(-1);
        Gauge.builder(name, value, AtomicLong::get).description(description).tags("from", region, "to", neighbour)
                .register(MeshMetrics.registry());
        return value;
    }

    /** Records after the last one {@code neighbour} processed; -1 while unknown. */
    long records(String neighbour) {
        AtomicLong value = records.get(neighbour);
        return value == null ? -1 : value.get();
    }

    /** Measures the spool towards {@code neighbour} once. */
    void measure(String neighbour) {
        Map<Integer, Long> processed = routes.stateOf(neighbour).map(s -> s.receivedFrom(region)).orElse(Map.of());
        if (processed.isEmpty()) {
            return;
        }
        String topic = MeshKafkaTopics.link(neighbour);
        List<TopicPartition> partitions = reader.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(5));
        long totalRecords = 0;
        long oldest = Long.MAX_VALUE;
        for (TopicPartition partition : partitions) {
            long after = processed.getOrDefault(partition.partition(), -1L) + 1;
            ConsumerRecord<String, byte[]> first = firstRecordFrom(partition, after, ends.getOrDefault(partition, 0L));
            if (first != null) {
                totalRecords += ends.get(partition) - first.offset();
                oldest = Math.min(oldest, first.timestamp());
            }
        }
        records.get(neighbour).set(totalRecords);
        LOG.debug("region {}: spool towards {}: {} records after {} (ends {})", region, neighbour, totalRecords, processed, ends);
        seconds.get(neighbour).set(oldest == Long.MAX_VALUE ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000));
    }

    private ConsumerRecord<String, byte[]> firstRecordFrom(TopicPartition partition, long offset, long end) {
        if (offset >= end) {
            return null;
        }
        reader.assign(List.of(partition));
        reader.seek(partition, offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (reader.position(partition) < end && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(100))) {
                return record;
            }
        }
        return null; // only transaction markers (or aborted records) up to the end
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(2));
        MeshMetrics.registry().find("mesh.link.spool.records").tag("from", region).meters().forEach(MeshMetrics.registry()::remove);
        MeshMetrics.registry().find("mesh.link.spool.seconds").tag("from", region).meters().forEach(MeshMetrics.registry()::remove);
    }
}
