package io.meshwork.connectors.links;

import io.meshwork.connectors.internal.TransformChain;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.TopicContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link PushLink}, from its committed offsets until it is closed or fails: its own
 * spool consumer, producer, {@link LinkProgress}, SMTs and dead letters, so that a restart after
 * an unexpected failure starts from a clean slate, with nothing of the failed run's state.
 *
 * <p>Besides the records, it watches the spool's partitions: every {@link #PARTITION_CHECK} it
 * compares them with its assignment (the consumer's metadata is refreshed as often), and pushes a
 * partition added since from its committed offset, or from its beginning, in order like the others,
 * once the target's arrival topic has room for it ({@link ArrivalRoom}). Manual assignment stays
 * (no group membership, hence no rebalance pausing every partition while one is added).
 */
final class LinkPump {

    /** It logs under PushLink's name, as before runs were split out: log filters (and tests) name that one class. */
    private static final Logger LOG = LoggerFactory.getLogger(PushLink.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    /** Pause after a rewind, so that an unreachable neighbour is not hammered. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** How often it looks for partitions added to the spool, and how old the consumer's metadata may get. */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(5);

    private final String link;
    private final String target;
    private final String spool;
    private final KafkaClients targetKafka;
    private final Duration deliveryTimeout;
    private final BooleanSupplier running;
    private final AtomicInteger rewinds;
    private final Map<TopicPartition, Long> resumeFrom;
    private final TransformChain<SourceRecord> transforms;
    private final SpoolCopier copier;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LinkProgress progress = new LinkProgress();
    private final LinkDeadLetters deadLetters;
    private final ArrivalRoom room;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private KafkaProducer<byte[], byte[]> producer;
    /** Partitions below this the target's arrival topic has: the contract's count, or what {@link #room} made. */
    private int roomFor = TopicContract.EVENT_PARTITIONS;
    private long nextCommitAt;
    private long nextPartitionCheckAt;
    private long resumeAt;
    private volatile boolean degraded;

    /**
     * @param running whether the link should still run; checked every turn
     * @param rewinds    counts the link's rewinds over all its runs
     * @param resumeFrom where a failed run of this link got to (what the target acknowledged): where
     *                   the committed offsets are older, as when the commit itself failed, this run
     *                   starts there, rather than send again what the target has
     */
    LinkPump(String origin, String target, KafkaClients local, KafkaClients targetKafka, Duration deliveryTimeout,
             BooleanSupplier running, AtomicInteger rewinds, Map<TopicPartition, Long> resumeFrom) {
        this.link = origin + "->" + target;
        this.target = target;
        this.spool = MeshKafkaTopics.link(target);
        this.targetKafka = targetKafka;
        this.deliveryTimeout = deliveryTimeout;
        this.running = running;
        this.rewinds = rewinds;
        this.resumeFrom = Map.copyOf(resumeFrom);
        this.transforms = TransformChain.from(LinkConfigs.linkGuards(target));
        this.copier = new SpoolCopier(origin, target, transforms);
        this.deadLetters = new LinkDeadLetters(link, target, local);
        this.room = new ArrivalRoom(link, target, copier.arrivalTopic(), targetKafka);
        this.consumer = new KafkaConsumer<>(PushLink.consumerConfig(origin, target, local),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Per partition, where this run got to: what the target acknowledged. Once {@link #run} is over, final. */
    Map<TopicPartition, Long> acknowledged() {
        return progress.safe();
    }

    /** Makes {@link #run} return at once (with a {@code WakeupException}), from any thread. */
    void wakeup() {
        try {
            consumer.wakeup();
        } catch (IllegalStateException e) {
            // already closed: this run is over anyway
        }
    }

    /**
     * Pushes until {@code running} turns false; commits what the target acknowledged and closes
     * everything on the way out, whether it returns or throws.
     *
     * @throws org.apache.kafka.common.errors.WakeupException when woken up to close
     * @throws RuntimeException                               whatever failed unexpectedly; the caller restarts
     */
    void run() {
        try {
            assign();
            producer = newProducer();
            while (running.getAsBoolean()) {
                Exception failed = failure.getAndSet(null);
                if (failed != null) {
                    rewind(failed);
                }
                boolean hold = System.currentTimeMillis() < resumeAt || progress.outstanding() >= PushLink.MAX_OUTSTANDING;
                if (hold) {
                    consumer.pause(consumer.assignment());
                } else {
                    consumer.resume(consumer.paused());
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (send(records)) {
                    // Past the last record too: transaction markers after it are done as well.
                    for (TopicPartition partition : consumer.assignment()) {
                        progress.readUpTo(partition, consumer.position(partition));
                    }
                }
                maybeCommit();
                maybeAddPartitions();
            }
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5)); // lets the answers to what is in flight arrive
            }
            deadLetters.close(); // after the producer: its last answers may still write dead letters
            commit(true);
            consumer.close(Duration.ofSeconds(2));
            room.close();
            transforms.close();
        }
    }

    /**
     * Hands the records to the producer in order, and stops at the first failure: what was not
     * handed over must not count as read, or a commit could skip it.
     *
     * @return whether every record was handed over (or dropped by a link guard)
     */
    private boolean send(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (failure.get() != null) {
                return false; // the next turn rewinds
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            long offset = record.offset();
            ProducerRecord<byte[], byte[]> copy = copier.copy(record);
            if (copy != null) {
                int generation = progress.generation();
                progress.sent(partition, offset);
                try {
                    producer.send(copy, (metadata, error) -> answered(generation, partition, offset, copy, error));
                } catch (KafkaException e) {
                    failure.compareAndSet(null, e);
                    return false;
                }
            } // else dropped by a link guard, which logged and counted it
            progress.readUpTo(partition, offset + 1);
        }
        return failure.get() == null;
    }

    /** On the producer's I/O thread (or in send(), when it fails at once, e.g. without metadata). */
    private void answered(int generation, TopicPartition partition, long offset, ProducerRecord<byte[], byte[]> copy,
                          Exception error) {
        if (error == null) {
            if (progress.acknowledged(generation, partition, offset) && degraded) {
                degraded = false;
                LOG.info("link {}: {} acknowledges again; the spool drains", link, target);
            }
        } else if (generation == progress.generation()) {
            if (LinkDeadLetters.refusesTheRecordForGood(error)) {
                // Re-sending it would fail the same way for ever, holding back every later event.
                deadLetters.send(copy, error, () -> progress.acknowledged(generation, partition, offset),
                        dlqFailure -> failure.compareAndSet(null, dlqFailure));
            } else {
                failure.compareAndSet(null, error);
            }
        }
    }

    /**
     * Waits for the spool, then takes its partitions (those the target has room for) and resumes
     * each from its committed progress, or from its beginning the first time.
     */
    private void assign() {
        while (running.getAsBoolean()) {
            try {
                List<TopicPartition> partitions = spoolPartitions();
                if (partitions.isEmpty()) {
                    LOG.debug("link {}: waiting for the spool {}", link, spool);
                    continue;
                }
                Map<TopicPartition, Long> from = take(partitions);
                LOG.info("link {}: pushing {} into {} of {} from offsets {}", link, spool, copier.arrivalTopic(), target, from);
                nextPartitionCheckAt = System.currentTimeMillis() + PARTITION_CHECK.toMillis();
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("link {}: this region's cluster did not answer for the spool {} yet ({})", link, spool, e.getMessage());
            }
        }
    }

    /** Every {@link #PARTITION_CHECK}: takes the spool's partitions added since (or still waiting for room in the target). */
    private void maybeAddPartitions() {
        long now = System.currentTimeMillis();
        if (now < nextPartitionCheckAt) {
            return;
        }
        nextPartitionCheckAt = now + PARTITION_CHECK.toMillis();
        try {
            List<TopicPartition> partitions = spoolPartitions();
            if (consumer.assignment().containsAll(partitions)) {
                return;
            }
            Map<TopicPartition, Long> from = take(partitions);
            if (!from.isEmpty()) {
                LOG.info("link {}: {} has {} partitions now; pushing {} too, from offsets {}", link, spool, partitions.size(),
                        from.keySet(), from);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            LOG.debug("link {}: this region's cluster did not answer for the partitions of {} ({})", link, spool, e.getMessage());
        }
    }

    /** The spool's partitions, from the consumer's metadata (at most {@link #PARTITION_CHECK} old). */
    private List<TopicPartition> spoolPartitions() {
        return consumer.partitionsFor(spool, Duration.ofSeconds(2)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /**
     * Adds those of {@code partitions} not assigned yet, once the target's arrival topic has room for
     * them (the others wait for the next check), each from its committed offset or its beginning.
     *
     * @return the partitions added, with the offsets they start from
     */
    private Map<TopicPartition, Long> take(List<TopicPartition> partitions) {
        Set<TopicPartition> assigned = consumer.assignment();
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            if (!assigned.contains(partition)) {
                added.add(partition);
            }
        }
        if (added.stream().anyMatch(p -> p.partition() >= roomFor) && room.ensure(partitions.size())) {
            roomFor = partitions.size();
        }
        added.removeIf(p -> p.partition() >= roomFor);
        if (added.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(added), Duration.ofSeconds(10));
        Set<TopicPartition> all = new HashSet<>(assigned);
        all.addAll(added);
        consumer.assign(all); // keeps the positions of the partitions it had
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition partition : added) {
            OffsetAndMetadata position = committed.get(partition);
            Long acknowledged = resumeFrom.get(partition);
            if (acknowledged != null && (position == null || acknowledged > position.offset())) {
                consumer.seek(partition, acknowledged);
            } else if (position == null) {
                consumer.seekToBeginning(List.of(partition));
            } else {
                consumer.seek(partition, position);
            }
            long start = consumer.position(partition);
            progress.readUpTo(partition, start);
            from.put(partition, start);
        }
        return from;
    }

    /** A send failed for good: abandon what is in flight and re-send from the last acknowledged offsets. */
    private void rewind(Exception cause) {
        producer.close(Duration.ZERO); // fails whatever is still queued; those answers belong to the old generation
        Map<TopicPartition, Long> positions = progress.rewind();
        rewinds.incrementAndGet();
        positions.forEach((partition, position) -> consumer.seek(partition, position));
        if (!degraded) {
            String refused = refusal(cause);
            if (refused != null) {
                // Retrying cannot help until an operator fixes the settings: say which ones.
                LOG.warn("link {}: {} {} ({}); check {}security.protocol, ssl.* and sasl.*; the backlog stays in {} and the link "
                        + "tries again every {} s", link, target, refused, cause.getMessage(), LinksKeys.NEIGHBOURS.key(target, ""),
                        spool, RETRY_BACKOFF.toSeconds());
            } else {
                LOG.warn("link {}: {} did not acknowledge ({}); the backlog stays in {} and the link re-sends from offsets {}",
                        link, target, cause.getMessage(), spool, positions);
            }
            degraded = true;
        } else {
            LOG.debug("link {}: still failing ({}); re-sending from {}", link, cause.getMessage(), positions);
        }
        resumeAt = System.currentTimeMillis() + RETRY_BACKOFF.toMillis();
        producer = newProducer();
        commit(false);
    }

    /** What the target refused, when {@code cause} is a failed login (TLS or SASL) or a refused write; else null. */
    private static String refusal(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof AuthenticationException) {
                return "refused the connection";
            }
            if (c instanceof AuthorizationException) {
                return "refused the link's principal";
            }
        }
        return null;
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(PushLink.producerConfig(link, targetKafka, deliveryTimeout), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private void maybeCommit() {
        long now = System.currentTimeMillis();
        if (now >= nextCommitAt) {
            nextCommitAt = now + COMMIT_INTERVAL.toMillis();
            commit(false);
        }
    }

    private void commit(boolean sync) {
        Map<TopicPartition, Long> positions = progress.toCommit();
        if (positions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, position) -> offsets.put(partition, new OffsetAndMetadata(position)));
        try {
            if (sync) {
                consumer.commitSync(offsets, Duration.ofSeconds(2));
                progress.committed(positions);
            } else {
                consumer.commitAsync(offsets, (committed, error) -> {
                    if (error == null) {
                        progress.committed(positions);
                    } else {
                        LOG.debug("link {}: progress not committed ({}); records may be sent twice", link, error.getMessage());
                    }
                });
            }
        } catch (KafkaException e) {
            LOG.debug("link {}: progress not committed ({}); records may be sent twice", link, e.getMessage());
        }
    }
}
