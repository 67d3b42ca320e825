package io.meshwork.router.delivery;

import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.interest.DeliveryMarker;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link EdgeSlots} in step with {@code mesh.interest}, and tells each edge in routed mode,
 * with a {@link DeliveryMarker} in its slot, once the index holds one of its subscriptions.
 *
 * <p>A plain consumer, not part of the Streams topology: {@code mesh.interest} is already the
 * source of the region-interest processor, and a topic feeds one source only. It reads the whole
 * topic (every router instance does, whichever partitions of {@code mesh.events} it owns), from
 * the beginning: the topic is compacted, so that is the current interest of the region.
 */
final class EdgeInterestFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeInterestFollower.class);
    private static final byte[] MARKER_FLAG = {1};

    private final String region;
    private final EdgeSlots slots;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> markers;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    EdgeInterestFollower(KafkaClients kafka, String region, EdgeSlots slots) {
        this.region = region;
        this.slots = slots;
        this.consumer = kafka.consumer("router " + region + " edge interest", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "router-edge-interest-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.markers = kafka.producer("router " + region + " delivery markers", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "router-delivery-markers-" + region,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "router-edge-interest-" + region);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following and returns once the index holds everything {@code mesh.interest} held
     * when it was called: the router must not route events before it knows the edges' interest,
     * or the copies for subscriptions made while it was down would be lost.
     */
    void start(Duration timeout) throws TimeoutException, InterruptedException {
        thread.start();
        if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("region " + region + ": router did not read " + MeshKafkaTopics.INTEREST
                    + " to its end within " + timeout.toSeconds() + " s");
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void run() {
        Map<TopicPartition, Long> ends;
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(MeshKafkaTopics.INTEREST, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("region " + region + ": topic " + MeshKafkaTopics.INTEREST + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ends = consumer.endOffsets(partitions);
        } catch (RuntimeException e) {
            failure = e;
            caughtUp.countDown();
            return;
        }
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                if (caughtUp.getCount() > 0 && ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                    LOG.info("region {}: routed delivery knows {} patterns of edges in routed mode", region, slots.patternCount());
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.error("region {}: stopped following {} for routed delivery", region, MeshKafkaTopics.INTEREST, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        InterestKey key;
        try {
            key = InterestKey.decode(record.key());
        } catch (IllegalArgumentException e) {
            return; // the region-interest processor reports it
        }
        OptionalInt slot = slots.apply(key, record.value() != null);
        if (slot.isPresent()) {
            // After the index changed: every event the stream thread reads from now on sees it.
            DeliveryMarker marker = new DeliveryMarker(key, record.offset());
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeliveryMarker.HEADER, MARKER_FLAG);
            markers.send(new ProducerRecord<>(MeshKafkaTopics.DELIVERIES, slot.getAsInt(), null, key.encode(),
                    marker.encodeValue(), headers), (metadata, error) -> {
                if (error != null) {
                    LOG.warn("region {}: could not confirm routed delivery of '{}' to edge {} (slot {}): {}", region,
                            key.pattern(), key.edgeId(), slot.getAsInt(), error.toString());
                }
            });
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        ConsumerThreads.stop(thread, consumer);
        markers.close(Duration.ofSeconds(5));
    }
}
