package io.meshwork.connectors.links;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.SpoolRetention;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control half of one directed link: relays the neighbour's {@code mesh.routes} (route
 * adverts, acknowledgements, link states, which double as heartbeats) and the beats of its router
 * instances ({@code mesh.beats}) into this region's {@code <neighbour>.mesh.routes}, on
 * connections of its own. Control records never share a
 * fetch, a task or a queue with the data spool, so a backlog of events on the link cannot delay
 * a heartbeat and make a healthy link look down (DESIGN.md 2.2).
 *
 * <p>Each relayed record carries the link's measured round-trip time ({@link RttProbe}) in
 * {@link MeshHeaders#LINK_RTT}; the router uses it as the link's cost. Records that originated
 * in this region, or that the neighbour learned from this region, are not handed back (split
 * horizon). Progress is committed in the neighbour's cluster (group
 * {@code meshwork-control-<region>}) after the records are written here, so a restart resumes
 * where it stopped and nothing accepted is skipped.
 *
 * <p>Fails safe ({@link LinkProgress}, as the push link): progress is committed per partition only
 * up to the first record whose send was not acknowledged. The producer has one request in flight
 * and never retries on its own, and the first send that fails closes it at once from its
 * callback, which drops every later record still queued: nothing after a failed record is
 * written ahead of it. The channel then seeks back to the first unacknowledged offsets and, after
 * a pause that grows while the failures go on, re-sends with a new producer; no record is skipped.
 */
final class ControlChannel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** First pause after a failed batch; it doubles with each failure in a row, up to {@link #MAX_BACKOFF}. */
    static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String neighbour;
    private final String region;
    private final String target;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Supplier<KafkaProducer<String, byte[]>> producers;
    private final RttProbe rtt;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final LinkProgress progress = new LinkProgress();
    /** Used by the channel's thread only; null until created, and after a failed send closed it. */
    private KafkaProducer<String, byte[]> producer;
    private int failuresInARow;
    private volatile boolean running = true;

    private ControlChannel(String neighbour, String region, KafkaConsumer<String, byte[]> consumer,
                           Supplier<KafkaProducer<String, byte[]>> producers, RttProbe rtt) {
        this.neighbour = neighbour;
        this.region = region;
        this.target = MeshKafkaTopics.remoteRoutes(neighbour);
        this.consumer = consumer;
        this.producers = producers;
        this.rtt = rtt;
        this.thread = new Thread(this::run, "control-" + neighbour + "->" + region);
        this.thread.setDaemon(true);
    }

    /**
     * Starts relaying from {@code neighbour} into {@code region}.
     *
     * @param neighbourKafka    the neighbour's cluster, reached across the link
     * @param local             this region's cluster
     * @param replicationFactor  for {@code <neighbour>.mesh.routes} if it has to be created
     */
    static ControlChannel start(String neighbour, String region, KafkaClients neighbourKafka, KafkaClients local,
                                int replicationFactor, Duration rttProbeInterval) {
        ensureTarget(neighbour, region, local, replicationFactor);
        String link = neighbour + "->" + region;
        KafkaConsumer<String, byte[]> consumer = neighbourKafka.consumer("control channel " + link, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "meshwork-control-" + region,
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-control-" + link,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Routers write mesh.routes in transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                new StringDeserializer(), new ByteArrayDeserializer());
        Supplier<KafkaProducer<String, byte[]>> producers = () -> local.producer("control channel " + link, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "meshwork-control-" + link,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // One request in flight and no retries of its own: a failed send closes the producer
                // before anything queued behind it leaves, so nothing overtakes it.
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false),
                new StringSerializer(), new ByteArraySerializer());
        ControlChannel channel = new ControlChannel(neighbour, region, consumer, producers,
                RttProbe.start(link, neighbourKafka, rttProbeInterval));
        channel.thread.start();
        return channel;
    }

    /** The link's measured round-trip time, once known. */
    OptionalLong rttMs() {
        return rtt.rttMs();
    }

    private void run() {
        try {
            assign();
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                SendFailure failure = relay(records);
                if (failure == null) {
                    recovered();
                    commit();
                } else {
                    rewind(failure);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("link {}->{}: control channel stopped", neighbour, region, e);
        } finally {
            commitOnClose(); // what was written is not relayed again after a restart, and nothing past it is skipped
            consumer.close(Duration.ofSeconds(2));
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
        }
    }

    /**
     * Hands one polled batch to the producer, stopping at the first send that fails, and waits
     * for every answer.
     *
     * @return the first failed send, or null when the whole batch was written
     */
    private SendFailure relay(ConsumerRecords<String, byte[]> records) {
        if (producer == null) {
            producer = producers.get();
        }
        KafkaProducer<String, byte[]> sending = producer;
        int generation = progress.generation();
        AtomicReference<SendFailure> failed = new AtomicReference<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (failed.get() != null) {
                break; // not handed over, so not read: the rewind re-reads it
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (!handsBack(record)) {
                progress.sent(partition, record.offset());
                try {
                    sending.send(relayed(record), (metadata, error) -> {
                        if (error == null) {
                            progress.acknowledged(generation, partition, record.offset());
                        } else if (failed.compareAndSet(null, new SendFailure(record, error))) {
                            sending.close(Duration.ZERO); // from the I/O thread: drops what is queued behind it
                        }
                    });
                } catch (KafkaException | IllegalStateException e) {
                    failed.compareAndSet(null, new SendFailure(record, e)); // e.g. the producer closed by a failure
                    break;
                }
            }
            progress.readUpTo(partition, record.offset() + 1);
        }
        try {
            sending.flush();
        } catch (KafkaException | IllegalStateException e) {
            failed.compareAndSet(null, new SendFailure(null, e));
        }
        return failed.get();
    }

    /**
     * A send failed: drop the producer (and whatever it still held), seek back to the first
     * unacknowledged offsets, which is as far as progress may be committed, and pause.
     */
    private void rewind(SendFailure failure) {
        producer.close(Duration.ZERO);
        producer = null;
        Map<TopicPartition, Long> from = progress.rewind();
        from.forEach(consumer::seek);
        commit();
        failuresInARow++;
        long pause = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(failuresInARow - 1, 16));
        String message = "link {}->{}: control records from {}'s {} not written to {} in {} ({}); nothing past offsets {} is committed,"
                + " retrying from there in {} ms";
        Object[] args = {neighbour, region, neighbour, MeshKafkaTopics.ROUTES, target, region, failure.describe(), from, pause};
        if (failure.error() instanceof KafkaException) {
            if (failuresInARow == 1) {
                LOG.warn(message, args);
            } else {
                LOG.debug(message, args);
            }
        } else {
            Object[] withTrace = Arrays.copyOf(args, args.length + 1);
            withTrace[args.length] = failure.error();
            LOG.warn(message, withTrace);
        }
        try {
            closing.await(pause, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void recovered() {
        if (failuresInARow > 0) {
            LOG.info("link {}->{}: control records written to {} again, after {} failed attempts", neighbour, region, target,
                    failuresInARow);
            failuresInARow = 0;
        }
    }

    private void commit() {
        Map<TopicPartition, Long> positions = progress.toCommit();
        if (positions.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets(positions), (committed, error) -> {
            if (error == null) {
                progress.committed(positions);
            } else {
                LOG.debug("link {}->{}: control progress not committed ({}); records may be relayed twice",
                        neighbour, region, error.getMessage());
            }
        });
    }

    private void commitOnClose() {
        Map<TopicPartition, Long> positions = progress.toCommit();
        if (positions.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets(positions), Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("link {}->{}: control progress not committed on close ({})", neighbour, region, e.getMessage());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((partition, position) -> offsets.put(partition, new OffsetAndMetadata(position)));
        return offsets;
    }

    /** Why a batch was not written: the first send that failed, if one did, else the transaction's own failure. */
    private record SendFailure(ConsumerRecord<String, byte[]> record, Exception error) {
        String describe() {
            String reason = error.getClass().getSimpleName() + ": " + error.getMessage();
            return record == null ? reason : "record " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason;
        }
    }

    /**
     * Takes every partition of the neighbour's {@code mesh.routes} (no group membership, hence no
     * rebalance when the link comes back) and resumes from the committed progress, or from the
     * beginning the first time. Waits for the neighbour while the link is down.
     */
    private void assign() {
        while (running) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(MeshKafkaTopics.ROUTES, Duration.ofSeconds(2)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(2));
                List<TopicPartition> beats = beatPartitions();
                consumer.assign(Stream.concat(partitions.stream(), beats.stream()).toList());
                // A beat says the neighbour's router is alive now: those written before this start say nothing.
                consumer.seekToEnd(beats);
                beats.forEach(partition -> progress.readUpTo(partition, consumer.position(partition)));
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata resumeAt = committed.get(partition);
                    if (resumeAt == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, resumeAt);
                    }
                    // A rewind seeks every partition back, even one whose first record was never handed over.
                    progress.readUpTo(partition, consumer.position(partition));
                }
                LOG.info("link {}->{}: control channel relaying {} into {}", neighbour, region, MeshKafkaTopics.ROUTES, target);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("link {}->{}: neighbour not reachable yet for its control topic", neighbour, region);
            }
        }
    }

    /**
     * The partitions of the neighbour's {@code mesh.beats}, or none when it has no such topic (a
     * region of a release before the beats: its link states remain its only heartbeat).
     */
    private List<TopicPartition> beatPartitions() {
        List<TopicPartition> beats = consumer.partitionsFor(MeshKafkaTopics.BEATS, Duration.ofSeconds(2)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        if (beats.isEmpty()) {
            LOG.info("link {}->{}: {} has no {}; its routers' link states are its only heartbeat", neighbour, region, neighbour,
                    MeshKafkaTopics.BEATS);
        }
        return beats;
    }

    /** Split horizon: never return to this region what it sent or what was learned from it. */
    private boolean handsBack(ConsumerRecord<String, byte[]> record) {
        return MeshHeaderCodec.learnedFrom(record.headers()).filter(region::equals).isPresent();
    }

    private ProducerRecord<String, byte[]> relayed(ConsumerRecord<String, byte[]> record) {
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(target, null, record.timestamp(), record.key(), record.value());
        Headers headers = copy.headers();
        record.headers().forEach(headers::add);
        OptionalLong measured = rtt.rttMs();
        if (measured.isPresent()) {
            MeshHeaderCodec.writeLinkRttMs(headers, measured.getAsLong());
        } else {
            // A stamp from an earlier link is not this link's RTT.
            headers.remove(MeshHeaders.LINK_RTT);
        }
        return copy;
    }

    private static void ensureTarget(String neighbour, String region, KafkaClients local, int replicationFactor) {
        TopicContract contract = new TopicContract(region, List.of(neighbour), (short) replicationFactor, SpoolRetention.SEED);
        try (Admin admin = local.admin("control channel " + neighbour + " target")) {
            new TopicApplier(admin, region).apply(List.of(contract.remoteRoutes(neighbour)), TopicApplier.Mode.CREATE_MISSING);
        }
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rtt.close();
    }
}
