package io.meshwork.connectors.links;

import io.meshwork.connectors.internal.TransformChain;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directed data link run by its <em>origin</em> region: reads the origin's spool
 * {@code mesh.link.<target>} locally ({@code read_committed}: the router writes it in
 * transactions), passes each record through the link's SMTs ({@link LinkConfigs#linkGuards}, the
 * same MirrorMaker applies) and produces it across the WAN into the target's
 * {@code <origin>.mesh.link.<target>}, same partition, exactly where MirrorMaker 2 would put it.
 *
 * <p>Why push: a pulling consumer across the WAN sends its next fetch only after the previous
 * answer came back, so an event waits up to a whole round trip for a fetch to carry it. A producer
 * sends an event the moment it is read, with many requests in flight on one connection (so in
 * order), and the event pays the one-way delay and little else.
 *
 * <p>Progress ({@link LinkProgress}) is committed in the origin's cluster, and only up to what the
 * target acknowledged: at-least-once, the destination's dedup ledger and arrival order absorb
 * what a rewind or a restart sends twice. A cut link leaves the backlog in the spool: a send that
 * fails (reset connection, no answer within the request timeout, no metadata from an unreachable
 * neighbour) rewinds the link to the last acknowledged offsets with a new producer, and it tries
 * again a second later; nothing is dropped, and the producer never retries on its own (a retry
 * would land behind newer records). The one exception is a record the neighbour refuses for good
 * (too large for its topic, a timestamp outside its window): it goes to the origin's
 * {@code mesh.dlq} with the reason ({@link LinkDeadLetters}) and the link goes on, instead of
 * rewinding to it for ever.
 */
final class PushLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushLink.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(200);
    /** Pause after a rewind, so that an unreachable neighbour is not hammered. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);
    /** Reading stops while this many records wait for the neighbour's acknowledgement: a dead link holds no more in memory. */
    static final int MAX_OUTSTANDING = 20_000;
    /**
     * Requests in flight on the link's connection: never the limit. Once all are out, events
     * wait and leave in clumps a round trip apart, which is what capped the idempotent producer
     * (5); at 1,000 events/s over 180 ms even small batches keep dozens of requests out.
     */
    static final int MAX_IN_FLIGHT_REQUESTS = 1_000;
    /**
     * How long a batch waits for more events. At 0 every event becomes a request of its own at
     * 1,000/s, and each costs CPU on both brokers (and, embedded, in the WAN emulator's threads),
     * which a busy host pays in latency; 5 ms cuts the requests about five-fold for at most 5 ms.
     * Measured on us->ap in the embedded mesh, quietest runs: 0 ms gave +4/+24 ms p50/p99 at
     * 100/s and +12/+82 at 1,000/s; 5 ms gave +8/+16 and +6/+15 (ranges in docs/ARCHITECTURE.md).
     */
    static final int LINGER_MS = 5;
    /** How long a send may wait for its answer before the link rewinds. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final String link;
    private final String target;
    private final String spool;
    private final KafkaClients targetKafka;
    private final Duration deliveryTimeout;
    private final SpoolCopier copier;
    private final TransformChain<SourceRecord> transforms;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LinkProgress progress = new LinkProgress();
    private final LinkDeadLetters deadLetters;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private KafkaProducer<byte[], byte[]> producer;
    private long nextCommitAt;
    private long resumeAt;
    private volatile boolean degraded;
    private volatile boolean running = true;
    private volatile int rewinds;

    private PushLink(String origin, String target, KafkaClients local, KafkaClients targetKafka, Duration deliveryTimeout) {
        this.link = origin + "->" + target;
        this.deliveryTimeout = deliveryTimeout;
        this.target = target;
        this.spool = MeshKafkaTopics.link(target);
        this.targetKafka = targetKafka;
        this.transforms = TransformChain.from(LinkConfigs.linkGuards(target));
        this.copier = new SpoolCopier(origin, target, transforms);
        this.deadLetters = new LinkDeadLetters(link, target, local);
        this.consumer = new KafkaConsumer<>(consumerConfig(origin, target, local),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "push-link-" + link);
        this.thread.setDaemon(true);
    }

    /**
     * Starts pushing {@code origin}'s spool for {@code target} into the target's cluster.
     *
     * @param local       the origin's cluster
     * @param targetKafka the target's cluster, reached across the link (origin &rarr; target)
     */
    static PushLink start(String origin, String target, KafkaClients local, KafkaClients targetKafka) {
        return start(origin, target, local, targetKafka, DELIVERY_TIMEOUT);
    }

    /**
     * @param deliveryTimeout how long a send may stay unanswered before the link rewinds (the
     *                        request timeout is half of it, at most 10 s); at least two seconds
     */
    static PushLink start(String origin, String target, KafkaClients local, KafkaClients targetKafka, Duration deliveryTimeout) {
        if (deliveryTimeout.toMillis() < 2_000) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 2 s, was " + deliveryTimeout);
        }
        PushLink pushLink = new PushLink(origin, target, local, targetKafka, deliveryTimeout);
        pushLink.thread.start();
        return pushLink;
    }

    static Map<String, Object> consumerConfig(String origin, String target, KafkaClients local) {
        return local.config("link " + origin + "->" + target, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "meshwork-link-" + origin + "-to-" + target,
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-link-" + origin + "->" + target,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The router writes the spool in transactions: never carry aborted records.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Records of 4 MiB (a 1 MiB payload plus headers) must fit a fetch.
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LinkConfigs.MAX_REQUEST_SIZE_BYTES));
    }

    static Map<String, Object> producerConfig(String link, KafkaClients targetKafka, Duration deliveryTimeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwork-link-" + link);
        // Not idempotent, on purpose: an idempotent producer keeps at most 5 requests in flight
        // per connection, i.e. 5 per round trip (27 requests/s at 180 ms), and once they are all
        // out, events queue and leave in clumps a round trip apart (measured: +41..177 ms p50 at
        // 100/s on us->ap, a 180 ms saw-tooth). With many requests in flight on one connection the
        // broker still appends them in the order sent; without producer retries nothing is ever
        // re-sent behind newer records. Any failed send rewinds the link instead (see rewind()):
        // what it sends twice, the destination's dedup ledger drops.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.RETRIES_CONFIG, 0);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_REQUESTS);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        // As the spool: the WAN carries what the disk keeps.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LinkConfigs.MAX_REQUEST_SIZE_BYTES);
        // A failed send rewinds the link (nothing is dropped); these bound how long an unanswered
        // request holds records before that, and how long a send waits for the neighbour's metadata.
        int delivery = (int) deliveryTimeout.toMillis();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, delivery / 2));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(5_000, delivery / 2));
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return targetKafka.config("link " + link + " (far side)", config);
    }

    private void run() {
        try {
            assign();
            producer = newProducer();
            while (running) {
                Exception failed = failure.getAndSet(null);
                if (failed != null) {
                    rewind(failed);
                }
                boolean hold = System.currentTimeMillis() < resumeAt || progress.outstanding() >= MAX_OUTSTANDING;
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
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("link {}: push link stopped", link, e);
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5)); // lets the answers to what is in flight arrive
            }
            deadLetters.close(); // after the producer: its last answers may still write dead letters
            commit(true);
            consumer.close(Duration.ofSeconds(2));
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
     * Takes every partition of the spool (no group membership, hence no rebalance) and resumes
     * from the committed progress, or from the beginning the first time.
     */
    private void assign() {
        while (running) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(spool, Duration.ofSeconds(2)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    LOG.debug("link {}: waiting for the spool {}", link, spool);
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(10));
                consumer.assign(partitions);
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata position = committed.get(partition);
                    if (position == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, position);
                    }
                    progress.readUpTo(partition, consumer.position(partition));
                }
                LOG.info("link {}: pushing {} into {} of {} from offsets {}", link, spool, copier.arrivalTopic(), target,
                        progress.toCommit());
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("link {}: this region's cluster did not answer for the spool {} yet ({})", link, spool, e.getMessage());
            }
        }
    }

    /** A send failed for good: abandon what is in flight and re-send from the last acknowledged offsets. */
    private void rewind(Exception cause) {
        producer.close(Duration.ZERO); // fails whatever is still queued; those answers belong to the old generation
        Map<TopicPartition, Long> positions = progress.rewind();
        rewinds++;
        positions.forEach((partition, position) -> consumer.seek(partition, position));
        if (!degraded) {
            LOG.warn("link {}: {} did not acknowledge ({}); the backlog stays in {} and the link re-sends from offsets {}",
                    link, target, cause.getMessage(), spool, positions);
            degraded = true;
        } else {
            LOG.debug("link {}: still failing ({}); re-sending from {}", link, cause.getMessage(), positions);
        }
        resumeAt = System.currentTimeMillis() + RETRY_BACKOFF.toMillis();
        producer = newProducer();
        commit(false);
    }

    private KafkaProducer<byte[], byte[]> newProducer() {
        return new KafkaProducer<>(producerConfig(link, targetKafka, deliveryTimeout), new ByteArraySerializer(), new ByteArraySerializer());
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

    /** How many times the link gave up on in-flight sends and re-sent from the last acknowledged offsets. */
    int rewinds() {
        return rewinds;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
