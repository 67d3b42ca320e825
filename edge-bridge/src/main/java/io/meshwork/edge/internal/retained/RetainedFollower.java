package io.meshwork.edge.internal.retained;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.retained.RetainedRecords;
import io.meshwork.core.retained.RetainedVersion;
import io.meshwork.core.retained.RetainedVersions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the region's {@code mesh.retained} from the beginning and follows it, handing each
 * topic's winning record ({@link RetainedVersions}: newest by time, then origin region) to a
 * {@link RetainedSink}. Records that lose change nothing, so the sink ends in the same state in
 * every region, whatever order the relays delivered the records in.
 */
public final class RetainedFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedFollower.class);
    private static final TopicPartition PARTITION = new TopicPartition(MeshKafkaTopics.RETAINED, 0);

    private final String region;
    private final Consumer<String, byte[]> consumer;
    private final RetainedSink sink;
    private final RetainedVersions versions = new RetainedVersions();
    private final CountDownLatch loaded = new CountDownLatch(1);
    // Offsets someone waits to see applied, by offset; completed by the reading thread.
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();
    private volatile long appliedBelow;
    private final Thread thread;
    private volatile boolean running = true;

    private RetainedFollower(String region, Consumer<String, byte[]> consumer, RetainedSink sink, String owner) {
        this.region = region;
        this.consumer = consumer;
        this.sink = sink;
        this.thread = new Thread(this::run, "retained-" + owner);
        this.thread.setDaemon(true);
    }

    /**
     * Starts following and waits until everything the topic held at the start was handed to the sink.
     *
     * @param owner names the reader's thread and client (say {@code mqtt-us-east-1})
     * @throws TimeoutException when the topic could not be read to its end within {@code wait}
     */
    public static RetainedFollower start(KafkaClients kafka, String region, RetainedSink sink, String owner, Duration wait)
            throws TimeoutException, InterruptedException {
        Consumer<String, byte[]> consumer = kafka.consumer("retained reader " + owner, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-retained-" + owner,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        RetainedFollower follower = new RetainedFollower(region, consumer, sink, owner);
        follower.thread.start();
        if (!follower.loaded.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            follower.close();
            throw new TimeoutException("region " + region + ": " + MeshKafkaTopics.RETAINED + " not read to its end within " + wait);
        }
        return follower;
    }

    private void run() {
        try {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION), Duration.ofSeconds(30)).get(PARTITION);
            markLoadedIfAt(end);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                markLoadedIfAt(end);
                releaseWaitersBelow(consumer.position(PARTITION));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("region {}: reading {} stopped; retained messages are no longer updated", region, MeshKafkaTopics.RETAINED, e);
        } finally {
            // Whoever waits is answered: the records are in Kafka, only this edge's copy is no longer updated.
            releaseWaitersBelow(Long.MAX_VALUE);
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Completes once the record at {@code offset} of {@code mesh.retained} was handed to the sink
     * (or this follower stopped), so that an acknowledged retained publish is served to the next
     * subscribe on this edge.
     */
    public CompletableFuture<Void> appliedThrough(long offset) {
        if (offset < appliedBelow) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> applied = waiting.computeIfAbsent(offset, key -> new CompletableFuture<>());
        if (offset < appliedBelow) {
            // The reading thread passed it while this was registered.
            waiting.remove(offset, applied);
            applied.complete(null);
        }
        return applied;
    }

    private void releaseWaitersBelow(long position) {
        appliedBelow = position;
        var passed = waiting.headMap(position);
        passed.values().forEach(future -> future.complete(null));
        passed.clear();
    }

    private void markLoadedIfAt(long end) {
        if (loaded.getCount() > 0 && consumer.position(PARTITION) >= end) {
            LOG.info("region {}: {} read, {} retained topics", region, MeshKafkaTopics.RETAINED, versions.size());
            loaded.countDown();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        RetainedRecords.Key key;
        RetainedVersion version;
        try {
            key = RetainedRecords.parseKey(record.key());
            version = RetainedRecords.version(record);
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: skipping {}@{}: {}", region, MeshKafkaTopics.RETAINED, record.offset(), e.getMessage());
            return;
        }
        if (!versions.advance(key.topic(), version)) {
            return;
        }
        if (RetainedRecords.deletes(record)) {
            sink.remove(key.topic());
        } else {
            sink.retain(key.topic(), record);
        }
    }

    /** {@link #appliedThrough} of a follower that may not have started yet. */
    @FunctionalInterface
    public interface Applied {
        CompletableFuture<Void> appliedThrough(long offset);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
