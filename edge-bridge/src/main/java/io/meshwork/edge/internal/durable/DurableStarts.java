package io.meshwork.edge.internal.durable;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new durable subscription starts: the end of every partition of {@code mesh.events}, or
 * the position of its resume token once checked against the log. One consumer per edge, which
 * never polls, asks the offsets over a connection that stays open, so subscribing costs one
 * request instead of a new consumer's metadata and offset round trips on fresh connections
 * (about 600 ms each on the loaded 2-core development machine when every reader did it itself).
 * Created with the first durable subscription; calls are serialised (a consumer is single-threaded).
 */
final class DurableStarts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableStarts.class);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final String region;
    private KafkaConsumer<String, byte[]> consumer;
    // The contract fixes the partition count of mesh.events (TopicContract), so it is read once.
    private List<TopicPartition> partitions;
    private boolean closed;

    DurableStarts(KafkaClients kafka, String region) {
        this.kafka = kafka;
        this.region = region;
    }

    /** The partitions of {@code mesh.events}, in partition order (partition i at index i). */
    synchronized List<TopicPartition> partitions() {
        ensureOpen();
        return partitions;
    }

    /**
     * The next offset to read in each partition: the ends now, or {@code from}.
     *
     * @throws Refusal {@code INVALID_RESUME_TOKEN} naming {@code resume_token} when {@code from} is
     *                 before the log start (deleted by retention) or not a position of this
     *                 region's log; {@code BROKER_UNAVAILABLE} when Kafka does not answer
     */
    synchronized long[] start(Optional<ResumePosition> from) {
        try {
            ensureOpen();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            long[] next = new long[partitions.size()];
            if (from.isEmpty()) {
                for (int i = 0; i < next.length; i++) {
                    next[i] = end.get(partitions.get(i));
                }
                return next;
            }
            ResumePosition position = from.get();
            if (position.partitions() > partitions.size()) {
                throw new Refusal(ClientError.INVALID_RESUME_TOKEN, ResumeTokens.FIELD, "resume_token names "
                        + position.partitions() + " partitions of " + MeshKafkaTopics.EVENTS + ", which has "
                        + partitions.size() + ": it was not issued for this region's log");
            }
            Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, KAFKA_TIMEOUT);
            for (int i = 0; i < next.length; i++) {
                TopicPartition partition = partitions.get(i);
                // A partition added after the token was issued holds only later events: all of it is owed.
                long offset = i < position.partitions() ? position.offset(i) : start.get(partition);
                if (offset < start.get(partition)) {
                    throw new Refusal(ClientError.INVALID_RESUME_TOKEN, ResumeTokens.FIELD, "resume_token is too old: it "
                            + "resumes " + partition + " at offset " + offset + ", but the log now starts at "
                            + start.get(partition) + " (the events in between were deleted by retention); subscribe "
                            + "without a token to start at the end");
                }
                if (offset > end.get(partition)) {
                    throw new Refusal(ClientError.INVALID_RESUME_TOKEN, ResumeTokens.FIELD, "resume_token resumes "
                            + partition + " at offset " + offset + ", beyond its end " + end.get(partition)
                            + ": it was not issued for this region's log (was the topic re-created?)");
                }
                next[i] = offset;
            }
            return next;
        } catch (KafkaException e) {
            LOG.warn("region {}: could not position a durable subscription on {}: {}", region, MeshKafkaTopics.EVENTS,
                    e.toString());
            throw new Refusal(ClientError.BROKER_UNAVAILABLE, "delivery_policy", "the regional Kafka cluster did not "
                    + "answer while positioning the durable subscription: " + e.getMessage(), e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new KafkaException("the edge is stopping");
        }
        if (consumer == null) {
            consumer = kafka.consumer("edge " + region + " durable positions", Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG, "edge-durable-positions-" + region,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new StringDeserializer(), new ByteArrayDeserializer());
        }
        if (partitions == null) {
            List<TopicPartition> found = consumer.partitionsFor(MeshKafkaTopics.EVENTS, KAFKA_TIMEOUT).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            if (found.isEmpty()) {
                throw new KafkaException("topic " + MeshKafkaTopics.EVENTS + " does not exist");
            }
            partitions = found;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
