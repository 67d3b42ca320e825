package io.meshwork.edge.internal.durable;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.traces.EdgeTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a non-durable subscription missed while it moved from a failed edge to this one. Such a
 * subscription comes back with the {@code resume_token} of the last event it received (every
 * delivery of the edge's shared delivery carries one: the {@link DeliveryCut} after that event);
 * this edge delivers to it from its own cut at the moment it registers, and counts the events
 * between the two that match the subscription's pattern and selector, on one thread of its own
 * with one consumer that stays open. The subscription's events wait ({@code holdLane}) until the
 * count is known, so its first delivery tells it in {@code dropped_before}.
 *
 * <p>Bounded: at most {@code edge.failover.gap.count.max} records are read, and at most
 * {@link #READ_TIME} is spent; what is left unread is added as its offsets' difference (every
 * record as if it matched): an upper bound, never an under-count. Direct delivery only (routed
 * edges read {@code mesh.deliveries}, whose positions are not the token's).
 */
public final class FailoverGaps implements AutoCloseable {

    /** What a count found. */
    @FunctionalInterface
    public interface Counted {

        /** @param exact whether {@code missed} is exact, or an upper bound */
        void counted(long missed, boolean exact);
    }

    /** Where a resumed subscription's gap begins: its token's position, checked against the log. */
    public static final class From {
        private final long[] offsets;

        private From(long[] offsets) {
            this.offsets = offsets;
        }
    }

    static final Duration READ_TIME = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(FailoverGaps.class);

    private final KafkaClients kafka;
    private final String region;
    private final KafkaEventCodec codec;
    private final ResumeTokens tokens;
    private final DurableStarts starts;
    private final DeliveryCut cut;
    private final long countMax;
    private final ExecutorService counter;
    private KafkaConsumer<String, byte[]> consumer; // the counting thread's only

    /**
     * @param tokenSecret the region's resume token secret ({@code edge.durable.token.secret}), or {@code null}
     * @param countMax    records read at most per gap ({@code edge.failover.gap.count.max}), at least 1
     */
    public FailoverGaps(KafkaClients kafka, String region, KafkaEventCodec codec, String tokenSecret, long countMax) {
        if (countMax < 1) {
            throw new IllegalArgumentException("countMax " + countMax);
        }
        this.kafka = kafka;
        this.region = region;
        this.codec = codec;
        this.tokens = new ResumeTokens(region, tokenSecret);
        this.starts = new DurableStarts(kafka, region);
        this.cut = new DeliveryCut(tokens);
        this.countMax = countMax;
        this.counter = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "edge-failover-gaps-" + region);
            thread.setDaemon(true);
            return thread;
        });
        // Connections opened before the first failover arrives: a fresh consumer's metadata round
        // trips would otherwise delay that subscriber's first event by hundreds of ms.
        counter.execute(this::warmUp);
    }

    private void warmUp() {
        try {
            starts.partitions();
            consumer().partitionsFor(MeshKafkaTopics.EVENTS, READ_TIME);
        } catch (RuntimeException e) {
            LOG.debug("region {}: failover gap reader not warmed up: {}", region, e.toString());
        }
    }

    /** The shared delivery's position, which it keeps up to date. */
    public DeliveryCut cut() {
        return cut;
    }

    /** Whether the shared delivery has started, so tokens can be issued. */
    public boolean isReady() {
        return cut.isStarted();
    }

    /** The token of the shared delivery's cut now: a subscription registered now starts there. */
    public String tokenNow() {
        return tokens.encode(new ResumePosition(cut.snapshot()));
    }

    /**
     * Checks a resume token as a durable subscription's is checked.
     *
     * @throws io.meshwork.edge.internal.Refusal {@code INVALID_RESUME_TOKEN} naming {@code resume_token}
     *         (malformed, another version, tampered, too old, not of this log), {@code BROKER_UNAVAILABLE}
     */
    public From check(String token) {
        return new From(starts.start(Optional.of(tokens.decode(token))));
    }

    /**
     * Counts, off the caller's thread, the events matching {@code pattern} and {@code selector}
     * from {@code from} up to the shared delivery's cut now. Call it right after the subscription
     * is registered: from then on the delivery offers it every event.
     */
    public void count(From from, TopicPattern pattern, Selector selector, String subscription, Counted counted) {
        long[] to = cut.snapshot();
        long[] start = Arrays.copyOf(from.offsets, to.length); // the delivery reads the partitions it found at start
        try {
            counter.execute(() -> {
                GapTally.Result result = count(start, to, pattern, selector, subscription);
                counted.counted(result.missed(), result.exact());
            });
        } catch (RejectedExecutionException e) {
            counted.counted(new GapTally(start, to, 0).result().missed(), false); // stopping: the bound, unread
        }
    }

    private GapTally.Result count(long[] from, long[] to, TopicPattern pattern, Selector selector, String subscription) {
        GapTally tally = new GapTally(from, to, countMax);
        int[] pending = tally.pending();
        if (pending.length == 0) {
            return tally.result();
        }
        long startedAt = System.nanoTime();
        List<TopicPartition> assigned = new ArrayList<>();
        try {
            KafkaConsumer<String, byte[]> reader = consumer();
            for (int partition : pending) {
                assigned.add(new TopicPartition(MeshKafkaTopics.EVENTS, partition));
            }
            reader.assign(assigned);
            for (TopicPartition partition : assigned) {
                reader.seek(partition, tally.position(partition.partition()));
            }
            long deadline = startedAt + READ_TIME.toNanos();
            while (!tally.isComplete() && !tally.isBounded() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    tally.record(record.partition(), record.offset(), matches(record, pattern, selector));
                }
                if (!tally.isBounded()) {
                    for (TopicPartition partition : assigned) {
                        tally.reached(partition.partition(), reader.position(partition));
                    }
                }
            }
            reader.assign(List.of());
        } catch (RuntimeException e) {
            // Counted so far plus the rest unread: an upper bound, never nothing.
            LOG.warn("region {}: counting the failover gap of {} stopped: {}; telling an upper bound", region, subscription,
                    e.toString());
            closeConsumer();
        }
        GapTally.Result result = tally.result();
        if (!result.exact()) {
            LOG.info("region {}: failover gap of {}: read {} records of {} (bound {} records, {} s), telling at most {} "
                    + "missed", region, subscription, result.read(), MeshKafkaTopics.EVENTS, countMax, READ_TIME.toSeconds(),
                    result.missed());
        }
        LOG.debug("region {}: failover gap of {} counted in {} ms: {}", region, subscription,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), tally);
        return result;
    }

    /** As the shared delivery decides: an event it would have offered this subscription. */
    private boolean matches(ConsumerRecord<String, byte[]> record, TopicPattern pattern, Selector selector) {
        if (!EdgeTracing.deliverable(record)) {
            return false;
        }
        MeshEvent event;
        try {
            event = codec.decode(record);
        } catch (InvalidEventException e) {
            return false; // the delivery skips it too
        }
        return pattern.matches(event.topic()) && selector.matches(event.selectorContext().get());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        if (consumer == null) {
            consumer = kafka.consumer("edge " + region + " failover gaps", Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG, "edge-failover-gaps-" + region,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000),
                    new StringDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    private void closeConsumer() {
        if (consumer != null) {
            try {
                consumer.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.debug("region {}: closing the failover gap consumer: {}", region, e.toString());
            }
            consumer = null;
        }
    }

    @Override
    public void close() {
        counter.shutdownNow();
        try {
            counter.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        starts.close();
        closeConsumer(); // the counting thread has ended, or never will touch it again
    }
}
