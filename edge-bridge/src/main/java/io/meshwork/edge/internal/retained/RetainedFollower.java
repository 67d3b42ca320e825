package io.meshwork.edge.internal.retained;

import io.meshwork.core.kafka.CompactedFollower;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.retained.RetainedRecords;
import io.meshwork.core.retained.RetainedVersion;
import io.meshwork.core.retained.RetainedVersions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the region's {@code mesh.retained} from the beginning and follows it (a
 * {@link CompactedFollower}), handing each topic's winning record ({@link RetainedVersions}:
 * newest by time, then origin region) to a {@link RetainedSink}. Records that lose change nothing,
 * so the sink ends in the same state in every region, whatever order the relays delivered the
 * records in.
 */
public final class RetainedFollower implements AutoCloseable, CompactedFollower.Progress {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedFollower.class);
    private static final TopicPartition PARTITION = new TopicPartition(MeshKafkaTopics.RETAINED, 0);

    private final String region;
    private final RetainedSink sink;
    private final RetainedVersions versions = new RetainedVersions();
    // Offsets someone waits to see applied, by offset; completed by the reading thread.
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> waiting = new ConcurrentSkipListMap<>();
    private volatile long appliedBelow;
    private final CompactedFollower follower;

    private RetainedFollower(KafkaClients kafka, String region, RetainedSink sink, String owner) {
        this.region = region;
        this.sink = sink;
        this.follower = new CompactedFollower(region, MeshKafkaTopics.RETAINED, "retained-" + owner, kafka, this::apply, this);
    }

    /**
     * Starts following and waits until everything the topic held at the start was handed to the sink.
     *
     * @param owner names the reader's thread and client (say {@code mqtt-us-east-1})
     * @throws TimeoutException when the topic could not be read to its end within {@code wait}
     */
    public static RetainedFollower start(KafkaClients kafka, String region, RetainedSink sink, String owner, Duration wait)
            throws TimeoutException, InterruptedException {
        RetainedFollower retained = new RetainedFollower(kafka, region, sink, owner);
        retained.follower.start();
        try {
            retained.follower.caughtUp().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            retained.close();
            throw new TimeoutException("region " + region + ": " + MeshKafkaTopics.RETAINED + " not read to its end within " + wait);
        }
        LOG.info("region {}: {} read, {} retained topics", region, MeshKafkaTopics.RETAINED, retained.versions.size());
        return retained;
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

    @Override
    public void readUpTo(Map<TopicPartition, Long> positions) {
        Long position = positions.get(PARTITION);
        if (position != null) {
            releaseWaitersBelow(position);
        }
    }

    @Override
    public void stopped() {
        // Whoever waits is answered: the records are in Kafka, only this edge's copy is no longer updated.
        releaseWaitersBelow(Long.MAX_VALUE);
    }

    private void releaseWaitersBelow(long position) {
        appliedBelow = position;
        var passed = waiting.headMap(position);
        passed.values().forEach(future -> future.complete(null));
        passed.clear();
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
        follower.close();
    }
}
