package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.retained.RetainedRecords;
import io.meshwork.core.retained.RetainedVersion;
import io.meshwork.core.retained.RetainedVersions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Floods MQTT retained messages: reads every neighbour's {@code mesh.retained} (across the link,
 * from the beginning) and writes into this region's {@code mesh.retained} each record of another
 * region that is newer ({@link RetainedVersion}) than anything this region knows for its topic,
 * stamped with its origin's version. What this region writes, its other neighbours read in turn,
 * so a retained message reaches every region over any path that is up, and a record that loses
 * (or that a region already has) stops there: the flood ends by itself, like the route adverts'.
 *
 * <p>Every region gets every retained message, not only regions with interest at publish time:
 * a client may subscribe anywhere, later. Retained records are one per topic and origin, so this
 * costs little beside the events. A cut link holds nothing back for long: the records go around
 * it when another path is up, and the relay's reader continues from where it was when the link
 * heals; compaction only ever drops records that a later one of the same key replaces.
 *
 * <p>The relay is the only writer of other regions' records in its region (one per region, one
 * thread), so each key's records are appended in version order and compaction keeps the newest.
 * A failed write makes it read everything again (local topic, then each neighbour's from the
 * beginning), which re-sends nothing the region already holds.
 */
final class RetainedRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedRelay.class);
    private static final TopicPartition PARTITION = new TopicPartition(MeshKafkaTopics.RETAINED, 0);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String region;
    private final KafkaClients local;
    private final Map<String, Consumer<String, byte[]>> neighbours;
    private final RetainedVersions versions = new RetainedVersions();
    private final Thread thread;
    private final AtomicReference<Exception> failed = new AtomicReference<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private Producer<String, byte[]> producer;
    private boolean resync = true;
    private volatile boolean running = true;

    private RetainedRelay(String region, KafkaClients local, Map<String, Consumer<String, byte[]>> neighbours) {
        this.region = region;
        this.local = local;
        this.neighbours = neighbours;
        this.thread = new Thread(this::run, "retained-relay-" + region);
        this.thread.setDaemon(true);
    }

    /** @param neighbourKafka how {@code region} reaches each neighbour's cluster (across the link) */
    static RetainedRelay start(String region, KafkaClients local, Map<String, KafkaClients> neighbourKafka) {
        Map<String, Consumer<String, byte[]>> consumers = new TreeMap<>();
        neighbourKafka.forEach((neighbour, kafka) -> consumers.put(neighbour, reader(kafka, neighbour + "->" + region)));
        RetainedRelay relay = new RetainedRelay(region, local, consumers);
        relay.thread.start();
        return relay;
    }

    private static Consumer<String, byte[]> reader(KafkaClients kafka, String name) {
        return kafka.consumer("retained relay " + name, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-retained-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void run() {
        try {
            while (running) {
                if (resync && !resync()) {
                    pause();
                    continue;
                }
                for (Map.Entry<String, Consumer<String, byte[]>> neighbour : neighbours.entrySet()) {
                    for (ConsumerRecord<String, byte[]> record : neighbour.getValue().poll(POLL)) {
                        relay(neighbour.getKey(), record);
                    }
                }
                producer.flush();
                Exception failure = failed.getAndSet(null);
                if (failure != null) {
                    LOG.warn("region {}: retained messages not written to {} ({}); reading every neighbour's again in {} ms", region,
                            MeshKafkaTopics.RETAINED, failure.toString(), RETRY_PAUSE.toMillis());
                    resync = true;
                    pause();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("region {}: retained relay stopped; retained messages of other regions no longer arrive here", region, e);
        } finally {
            neighbours.values().forEach(consumer -> consumer.close(Duration.ofSeconds(2)));
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
        }
    }

    private void pause() {
        try {
            closing.await(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Learns what this region holds, then reads every neighbour's records from the beginning.
     *
     * @return false when this region's {@code mesh.retained} could not be read (missing, or the cluster not answering)
     */
    private boolean resync() {
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        producer = local.producer("retained relay into " + region, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "meshwork-retained-relay-" + region,
                ProducerConfig.ACKS_CONFIG, "all",
                // Idempotent: a retry never appends an older record of a key after a newer one.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
        versions.clear();
        try (Consumer<String, byte[]> own = reader(local, "local-" + region)) {
            own.assign(List.of(PARTITION));
            own.seekToBeginning(List.of(PARTITION));
            long end;
            try {
                end = own.endOffsets(List.of(PARTITION), Duration.ofSeconds(30)).get(PARTITION);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warn("region {}: {} not readable ({}); retained messages of other regions wait until it is", region,
                        MeshKafkaTopics.RETAINED, e.getMessage());
                return false;
            }
            while (running && own.position(PARTITION) < end) {
                for (ConsumerRecord<String, byte[]> record : own.poll(POLL)) {
                    version(record).ifPresent(version -> versions.advance(RetainedRecords.parseKey(record.key()).topic(), version));
                }
            }
        }
        neighbours.values().forEach(consumer -> {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
        });
        resync = false;
        LOG.info("region {}: relaying retained messages from {} ({} topics known here)", region, neighbours.keySet(), versions.size());
        return true;
    }

    private void relay(String neighbour, ConsumerRecord<String, byte[]> record) {
        Optional<RetainedVersion> version = version(record);
        if (version.isEmpty() || version.get().origin().equals(region)) {
            return; // this region's own records are written by its edges only
        }
        String topic = RetainedRecords.parseKey(record.key()).topic();
        if (!versions.advance(topic, version.get())) {
            return;
        }
        LOG.debug("region {}: retained message of '{}' from {} (via {}) relayed", region, topic, version.get().origin(), neighbour);
        producer.send(RetainedRecords.relayed(record, version.get()), (metadata, error) -> {
            if (error != null) {
                failed.compareAndSet(null, error);
            }
        });
    }

    private Optional<RetainedVersion> version(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(RetainedRecords.version(record));
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: skipping {}-{}@{}: {}", region, record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        neighbours.values().forEach(Consumer::wakeup);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
