package io.meshwork.edge.internal.durable;

import io.meshwork.core.envelope.EnvelopeMapper;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.stream.SessionTransport;
import io.meshwork.edge.internal.stream.StreamFrames;
import io.meshwork.edge.internal.traces.EdgeTracing;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One durable subscription: its own consumer, assigned every partition of {@code mesh.events}
 * (no group: nothing is committed; the client holds its position as resume tokens), and its own
 * thread, which reads only while the connection has fewer than a window of frames unsent. So a
 * client that stops reading leaves its events in Kafka, not in the edge, and gets every one of
 * them, in order per partition, when it reads again.
 *
 * <p>Every delivered event carries a resume token: the next offset of every partition, right after
 * that event. Records that do not match are skipped and advance the position too. The reader also
 * measures its lag (records between its position and the end of the log, the last stable offset)
 * and flags the subscription BACKPRESSURED past the threshold, with a control frame, until it is
 * back at or below the recovery lag (a second BACKPRESSURED frame, {@code mesh-backpressured: false}).
 */
final class DurableReader {

    private static final Logger LOG = LoggerFactory.getLogger(DurableReader.class);
    /** Header of a BACKPRESSURED frame: {@code true} when flagged, {@code false} when recovered. */
    static final String BACKPRESSURED_HEADER = "mesh-backpressured";
    /** Header of a BACKPRESSURED frame: the lag, in records of {@code mesh.events}. */
    static final String LAG_HEADER = "mesh-lag";
    private static final long LAG_INTERVAL_MS = 250;
    private static final long LAG_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(LAG_INTERVAL_MS);
    private static final long WAITING_LAG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    // How often a reader whose client has a window unsent looks again: cheap enough for hundreds of
    // waiting readers, and a window (256 events) per 5 ms is far more than a slow client takes.
    private static final long ROOM_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    // close() wakes a waiting poll, so a long poll costs nothing but fewer idle wake-ups.
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    /** What a reader needs beside its subscription; shared by every durable subscription of the edge. */
    record Context(KafkaClients kafka, String region, KafkaEventCodec codec, ResumeTokens tokens, Backpressure backpressure,
                   int window, long backpressureLag, long recoverLag) {
    }

    private final Context context;
    private final SessionTransport transport;
    private final SubscriptionRequest request;
    private final TopicPattern pattern;
    private final Selector selector;
    private final String id;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions;
    private final long[] next;
    private final Thread thread;
    private final Consumer<DurableReader> failed;
    private volatile Consumer<String> confirm = token -> { };
    private volatile boolean running = true;
    private volatile long lag;
    private boolean backpressured;
    private long lagCheckedAt = System.nanoTime() - LAG_INTERVAL_NANOS;

    private DurableReader(Context context, SessionTransport transport, SubscriptionRequest request, TopicPattern pattern,
                          Selector selector, String id, KafkaConsumer<String, byte[]> consumer,
                          List<TopicPartition> partitions, long[] next, Consumer<DurableReader> failed) {
        this.context = context;
        this.transport = transport;
        this.request = request;
        this.pattern = pattern;
        this.selector = selector;
        this.id = id;
        this.consumer = consumer;
        this.partitions = partitions;
        this.next = next;
        this.failed = failed;
        this.thread = new Thread(this::run, "edge-durable-" + context.region() + "-" + Integer.toHexString(id.hashCode()));
        this.thread.setDaemon(true);
    }

    /**
     * A reader positioned at {@code next} (one offset per partition, from {@link DurableStarts}),
     * not yet reading. Touches no network: the consumer connects on its first poll, on its thread.
     *
     * @param failed told when the reader stops on its own (Kafka failed)
     */
    static DurableReader open(Context context, SessionTransport transport, SubscriptionRequest request, TopicPattern pattern,
                              Selector selector, String id, List<TopicPartition> partitions, long[] next,
                              Consumer<DurableReader> failed) {
        KafkaConsumer<String, byte[]> consumer = context.kafka().consumer("edge " + context.region() + " durable", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "edge-durable-" + context.region() + "-" + Integer.toHexString(id.hashCode()),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // One poll never returns more than a window: with the window unsent, that is all the edge holds.
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, context.window(),
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024 * 1024,
                // A fetch is answered as soon as data (or the marker that commits it) arrives; the wait
                // only bounds how often an idle subscription asks: 2 s keeps that to one fetch in 2 s.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 2000),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.assign(partitions);
        for (int i = 0; i < next.length; i++) {
            consumer.seek(partitions.get(i), next[i]);
        }
        return new DurableReader(context, transport, request, pattern, selector, id, consumer, partitions, next.clone(), failed);
    }

    /**
     * Starts reading; {@code confirm} runs first, on the reader's thread, so that it precedes every
     * event, with the resume token of the start position.
     */
    void start(Consumer<String> confirm) {
        this.confirm = confirm;
        thread.start();
    }

    private void run() {
        try {
            confirm.accept(context.tokens().encode(new ResumePosition(next)));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    if (!running) {
                        break;
                    }
                    handle(record);
                }
                checkLag(false);
            }
        } catch (WakeupException e) {
            // close() woke the consumer up
        } catch (KafkaException e) {
            if (running) {
                LOG.warn("region {}: durable subscription {} stopped reading {}: {}", context.region(), id,
                        MeshKafkaTopics.EVENTS, e.toString());
                transport.send(StreamFrames.error(new Refusal(ClientError.BROKER_UNAVAILABLE, "delivery_policy",
                        "the edge stopped reading this durable subscription (" + e.getMessage()
                                + "); subscribe again with the last resume_token"), request));
                failed.accept(this);
            }
        } catch (RuntimeException e) {
            LOG.error("region {}: durable subscription {} stopped", context.region(), id, e); // a bug: keep the trace
            transport.send(StreamFrames.error(new Refusal(ClientError.BROKER_UNAVAILABLE, "delivery_policy",
                    "the edge stopped reading this durable subscription; subscribe again with the last resume_token"), request));
            failed.accept(this);
        } finally {
            consumer.close(ConsumerThreads.CLOSE_TIMEOUT);
            clearBackpressure(Backpressure.State.ENDED);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        int index = record.partition();
        MeshEvent event = matching(record);
        next[index] = record.offset() + 1;
        if (event == null) {
            return;
        }
        awaitRoom();
        if (!running) {
            return;
        }
        EventEnvelope envelope = EnvelopeMapper.toEnvelope(event, record.timestamp()).toBuilder()
                .setResumeToken(context.tokens().encode(new ResumePosition(next)))
                .build();
        transport.send(envelope);
    }

    /** The record as an event this subscription takes, or {@code null} when it skips it. */
    private MeshEvent matching(ConsumerRecord<String, byte[]> record) {
        if (!EdgeTracing.deliverable(record)) {
            return null; // a trace-only dry run: routed and traced, delivered to nobody
        }
        MeshEvent event;
        try {
            event = context.codec().decode(record);
        } catch (InvalidEventException e) {
            LOG.warn("region {}: durable subscription {} skips invalid event at {}-{}@{}: {} ({})", context.region(), id,
                    record.topic(), record.partition(), record.offset(), e.getMessage(), e.field());
            return null;
        }
        if (!pattern.matches(event.topic())
                || (selector != Selector.ACCEPT_ALL && !selector.matches(event.selectorContext().get()))) {
            return null;
        }
        return event;
    }

    /** Waits, reading nothing, while the client has a window of frames unsent. */
    private void awaitRoom() {
        while (running && transport.unsentFrames() >= context.window()) {
            checkLag(true);
            LockSupport.parkNanos(ROOM_WAIT_NANOS);
        }
    }

    /**
     * Measures the lag at most every {@value #LAG_INTERVAL_MS} ms. While the reader keeps polling,
     * Kafka's fetch responses already tell each partition's lag ({@link KafkaConsumer#currentLag},
     * no request); while it waits for the client, nothing is fetched, so it asks for the end
     * offsets, at most once a second: one small request per waiting subscription.
     */
    private void checkLag(boolean waiting) {
        long now = System.nanoTime();
        if (now - lagCheckedAt < (waiting ? WAITING_LAG_INTERVAL_NANOS : LAG_INTERVAL_NANOS)) {
            return;
        }
        lagCheckedAt = now;
        long behind = waiting ? -1 : fetchedLag();
        if (behind < 0) {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            behind = 0;
            for (int i = 0; i < next.length; i++) {
                behind += Math.max(0, end.getOrDefault(partitions.get(i), next[i]) - next[i]);
            }
        }
        lag = behind;
        if (!backpressured && behind >= context.backpressureLag()) {
            backpressured = true;
            transport.send(backpressureFrame(true, behind, "lag of " + behind + " records, past the threshold of "
                    + context.backpressureLag()));
            context.backpressure().flagged(id, pattern, behind);
        } else if (backpressured && behind <= context.recoverLag()) {
            backpressured = false;
            transport.send(backpressureFrame(false, behind, "recovered: lag of " + behind + " records, at or below "
                    + context.recoverLag()));
            context.backpressure().cleared(id, pattern, behind, Backpressure.State.RECOVERED);
        }
    }

    /** The lag as the last fetches told it, every record returned so far being handled; -1 when a partition has not told yet. */
    private long fetchedLag() {
        long behind = 0;
        for (TopicPartition partition : partitions) {
            OptionalLong partitionLag = consumer.currentLag(partition);
            if (partitionLag.isEmpty()) {
                return -1;
            }
            behind += partitionLag.getAsLong();
        }
        return behind;
    }

    private void clearBackpressure(Backpressure.State state) {
        if (backpressured) {
            backpressured = false;
            context.backpressure().cleared(id, pattern, lag, state);
        }
    }

    private EventEnvelope backpressureFrame(boolean flagged, long behind, String message) {
        return StreamFrames.control(StreamControl.newBuilder()
                        .setType(StreamControl.Type.BACKPRESSURED)
                        .setClientId(request.getClientId())
                        .setTopicPattern(request.getTopicPattern())
                        .setFilterExpression(request.getFilterExpression())
                        .setMessage(message))
                .toBuilder()
                .putHeaders(BACKPRESSURED_HEADER, Boolean.toString(flagged))
                .putHeaders(LAG_HEADER, Long.toString(behind))
                .build();
    }

    /** Records of {@code mesh.events} between this subscription's position and the log's end, when last measured. */
    long lag() {
        return lag;
    }

    /** The subscription's name in logs, metrics and webhook documents. */
    String id() {
        return id;
    }

    /** Stops reading and waits for the thread to close its consumer; a backpressured subscription is cleared as ended. */
    void close() {
        running = false;
        try {
            ConsumerThreads.stop(thread, consumer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
