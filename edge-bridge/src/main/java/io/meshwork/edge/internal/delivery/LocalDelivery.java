package io.meshwork.edge.internal.delivery;

import io.meshwork.core.envelope.EnvelopeMapper;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.interest.DeliveryMarker;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.Stage;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.edge.internal.durable.DeliveryCut;
import io.meshwork.edge.internal.durable.FailoverGaps;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import io.meshwork.edge.internal.traces.EdgeTracing;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the region's events and hands each to the matching subscribers of this edge.
 *
 * <p>Direct delivery: every edge instance must see every event, so the consumer assigns itself
 * all partitions of {@code mesh.events} instead of joining a group. Routed delivery: it assigns
 * itself its slot of {@code mesh.deliveries}, where the router copies the events this edge's
 * subscribers want, and the router's {@link DeliveryMarker}s, which go to {@code markers}.
 * Either way it starts at the end: a subscriber receives what is published after its
 * subscription was confirmed. With {@link FailoverGaps} (direct delivery), every delivery carries
 * the {@code resume_token} of the cut right after its event, and the cut is kept up to date for
 * counting what a subscription resumed from such a token missed.
 */
public final class LocalDelivery implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDelivery.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final SubscriptionRegistry registry;
    private final KafkaEventCodec codec;
    private final String region;
    private final EdgeTracing tracing;
    private final Thread thread;
    private final OptionalInt slot;
    private final Consumer<DeliveryMarker> markers;
    private final DeliveryCut cut;
    private final AtomicLong recordsRead = new AtomicLong();
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile RuntimeException startFailure;

    public LocalDelivery(KafkaClients kafka, String region, KafkaEventCodec codec, SubscriptionRegistry registry) {
        this(kafka, region, codec, registry, null, OptionalInt.empty(), marker -> { });
    }

    /**
     * @param tracing reports DELIVERY hops of traced events; {@code null}: none
     * @param slot    the partition of {@code mesh.deliveries} to read (routed delivery); empty:
     *                all of {@code mesh.events} (direct delivery)
     * @param markers told of each marker read from the slot
     */
    public LocalDelivery(KafkaClients kafka, String region, KafkaEventCodec codec, SubscriptionRegistry registry,
                         EdgeTracing tracing, OptionalInt slot, Consumer<DeliveryMarker> markers) {
        this(kafka, region, codec, registry, tracing, slot, markers, null);
    }

    /**
     * @param gaps keeps the cut and signs each delivery's resume token (direct delivery only);
     *             {@code null}: deliveries carry no token
     */
    public LocalDelivery(KafkaClients kafka, String region, KafkaEventCodec codec, SubscriptionRegistry registry,
                         EdgeTracing tracing, OptionalInt slot, Consumer<DeliveryMarker> markers, FailoverGaps gaps) {
        if (gaps != null && slot.isPresent()) {
            throw new IllegalArgumentException("failover gaps are counted on mesh.events, which routed delivery does not read");
        }
        this.cut = gaps == null ? null : gaps.cut();
        this.slot = slot;
        this.markers = markers;
        this.tracing = tracing;
        this.region = region;
        this.codec = codec;
        this.registry = registry;
        this.consumer = kafka.consumer("edge " + region + " delivery", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "edge-delivery-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "edge-delivery-" + region);
        this.thread.setDaemon(true);
    }

    /** Starts reading and returns once the consumer sits at the end of every partition. */
    public void start(Duration timeout) throws TimeoutException, InterruptedException {
        thread.start();
        if (!positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("region " + region + ": edge delivery did not reach the end of "
                    + topic() + " within " + timeout.toSeconds() + " s");
        }
        if (startFailure != null) {
            throw startFailure;
        }
    }

    private void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic(), Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition()))
                    .filter(partition -> slot.isEmpty() || partition.partition() == slot.getAsInt())
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("region " + region + ": topic " + topic() + " does not exist"
                        + (slot.isPresent() ? " or has no partition " + slot.getAsInt() : ""));
            }
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end now, not at the first poll
            if (cut != null) {
                long[] positions = new long[partitions.size()];
                for (TopicPartition partition : partitions) {
                    positions[partition.partition()] = consumer.position(partition); // partitions are 0..n-1
                }
                cut.start(positions);
            }
        } catch (RuntimeException e) {
            startFailure = e;
            positioned.countDown();
            return;
        }
        positioned.countDown();
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofSeconds(1));
                long polledAtNanos = System.nanoTime();
                long polledAtMs = System.currentTimeMillis();
                recordsRead.addAndGet(records.count());
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (slot.isPresent() && DeliveryMarker.isMarker(record.headers())) {
                        DeliveryMarker.read(record.key(), record.headers(), record.value()).ifPresent(markers);
                        continue;
                    }
                    if (cut != null) {
                        cut.handled(record.partition(), record.offset()); // before the lookup: see DeliveryCut
                    }
                    recordWaitBeforePoll(record, polledAtMs);
                    deliver(record, polledAtNanos);
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.error("region {}: edge delivery stopped", region, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * How long the record waited before this poll returned it: since the router wrote it for an
     * arrival ({@link Stage#ARRIVAL}), since the publishing edge sent it for a local publish
     * ({@link Stage#APPEND_TO_EDGE_POLL}; the record timestamp, which the edge sets when it sends).
     */
    private static void recordWaitBeforePoll(ConsumerRecord<String, byte[]> record, long polledAtMs) {
        if (!MeshHeaderCodec.isArrival(record.headers())) {
            Stage.APPEND_TO_EDGE_POLL.recordNanos(TimeUnit.MILLISECONDS.toNanos(polledAtMs - record.timestamp()));
            return;
        }
        MeshHeaderCodec.stageAt(record.headers())
                .ifPresent(at -> Stage.ARRIVAL.recordNanos(TimeUnit.MILLISECONDS.toNanos(polledAtMs - at)));
    }

    private void deliver(ConsumerRecord<String, byte[]> record, long polledAtNanos) {
        if (!EdgeTracing.deliverable(record)) {
            return; // a trace-only dry run: routed and traced, delivered to nobody
        }
        MeshEvent event;
        try {
            event = codec.decode(record);
        } catch (InvalidEventException e) {
            LOG.warn("region {}: skipping invalid event at {}-{}@{}: {} ({})", region, record.topic(), record.partition(),
                    record.offset(), e.getMessage(), e.field());
            return;
        }
        Map<Subscriber, EgressLane> subscribers = registry.targetsFor(event.topic(), event.selectorContext());
        if (subscribers.isEmpty()) {
            return;
        }
        EventEnvelope envelope = EnvelopeMapper.toEnvelope(event, record.timestamp());
        if (cut != null) {
            envelope = envelope.toBuilder().setResumeToken(cut.token()).build(); // the same for every subscriber
        }
        OutboundEvent outbound = new OutboundEvent(envelope);
        for (Map.Entry<Subscriber, EgressLane> target : subscribers.entrySet()) {
            Subscriber subscriber = target.getKey();
            try {
                subscriber.deliver(outbound, target.getValue());
            } catch (RuntimeException e) {
                LOG.warn("region {}: delivery of event {} to {} failed: {}", region, event.id(), subscriber.id(), e.toString());
            }
        }
        Stage.POLL_TO_WRITE.recordNanos(System.nanoTime() - polledAtNanos);
        if (tracing != null) {
            tracing.delivered(event, record, subscribers.size());
        }
    }

    private String topic() {
        return slot.isPresent() ? MeshKafkaTopics.DELIVERIES : MeshKafkaTopics.EVENTS;
    }

    /** Records this edge has read (events, for any subscriber or none, and markers): what its delivery costs. */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Whether the reader thread is alive and has not been asked to stop. */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        ConsumerThreads.stop(thread, consumer);
    }
}
