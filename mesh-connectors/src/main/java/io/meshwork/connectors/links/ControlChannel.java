package io.meshwork.connectors.links;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.kafka.SpoolRetention;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
import org.apache.kafka.common.errors.ProducerFencedException;
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
 * adverts, acknowledgements, link states, which double as heartbeats) into this region's
 * {@code <neighbour>.mesh.routes}, on connections of its own. Control records never share a
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
 * <p>Fails safe: each polled batch is written in one transaction ({@code transactional.id}
 * {@code meshwork-control-<neighbour>-><region>}, so a second channel for the same link fences
 * the first), and its offsets are committed only once the transaction is. A send that fails
 * (a record the target refuses, a cluster that does not answer) aborts the whole batch, so
 * nothing after the failed record becomes visible out of order; the channel rewinds to the
 * batch's first offsets, the last committed position, and retries with a growing pause until
 * the target accepts it. Readers of {@code <neighbour>.mesh.routes} read committed (the router does).
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
    /** Written to by the channel's thread only; null until created, and after a failure that left it unusable. */
    private KafkaProducer<String, byte[]> producer;
    /** Per partition, the offset after the last record written here: what may be committed. */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
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
     * @param neighbourBootstrap the neighbour's cluster, reached across the link
     * @param localBootstrap     this region's cluster
     * @param replicationFactor  for {@code <neighbour>.mesh.routes} if it has to be created
     */
    static ControlChannel start(String neighbour, String region, String neighbourBootstrap, String localBootstrap,
                                int replicationFactor, Duration rttProbeInterval) {
        ensureTarget(neighbour, region, localBootstrap, replicationFactor);
        String link = neighbour + "->" + region;
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, neighbourBootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "meshwork-control-" + region,
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-control-" + link,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Routers write mesh.routes in transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                new StringDeserializer(), new ByteArrayDeserializer());
        Supplier<KafkaProducer<String, byte[]>> producers = () -> {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, localBootstrap,
                    ProducerConfig.CLIENT_ID_CONFIG, "meshwork-control-" + link,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "meshwork-control-" + link,
                    // A channel that dies mid-batch holds readers back (last stable offset) this long at most.
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000),
                    new StringSerializer(), new ByteArraySerializer());
            try {
                producer.initTransactions();
                return producer;
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
        };
        ControlChannel channel = new ControlChannel(neighbour, region, consumer, producers,
                RttProbe.start(link, neighbourBootstrap, rttProbeInterval));
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
                AtomicReference<SendFailure> failed = new AtomicReference<>();
                try {
                    relay(records, failed);
                } catch (KafkaException e) {
                    if (e instanceof ProducerFencedException || e.getCause() instanceof ProducerFencedException) {
                        // Retrying would fence it back, and the two would take turns.
                        LOG.warn("link {}->{}: another control channel took over relaying into {}; this one stops", neighbour, region, target);
                        running = false;
                    } else {
                        rewind(records, failed.get() != null ? failed.get() : new SendFailure(null, e));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("link {}->{}: control channel stopped", neighbour, region, e);
        } finally {
            commitWritten(); // what was written is not relayed again after a restart, and nothing past it is skipped
            consumer.close(Duration.ofSeconds(2));
            if (producer != null) {
                producer.close(Duration.ofSeconds(2));
            }
        }
    }

    /**
     * Writes one polled batch in one transaction, then commits its offsets in the neighbour.
     *
     * @throws KafkaException when a send or the transaction failed: nothing of the batch is visible
     */
    private void relay(ConsumerRecords<String, byte[]> records, AtomicReference<SendFailure> failed) {
        boolean open = false;
        for (ConsumerRecord<String, byte[]> record : records) {
            if (handsBack(record)) {
                continue;
            }
            if (!open) {
                if (producer == null) {
                    producer = producers.get();
                }
                producer.beginTransaction();
                open = true;
            }
            producer.send(relayed(record), (metadata, error) -> {
                if (error != null) {
                    failed.compareAndSet(null, new SendFailure(record, error));
                }
            });
        }
        if (open) {
            producer.commitTransaction(); // throws if any send of the batch failed
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        written.putAll(offsets);
        if (failuresInARow > 0) {
            LOG.info("link {}->{}: control records written to {} again, after {} failed attempts", neighbour, region, target,
                    failuresInARow);
            failuresInARow = 0;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("link {}->{}: control progress not committed ({}); records may be relayed twice",
                        neighbour, region, error.getMessage());
            }
        });
    }

    /**
     * A batch was not written: drop the transaction (or the producer, if it cannot abort), seek
     * back to the batch's first offsets, which is where the committed progress stands, and pause.
     */
    private void rewind(ConsumerRecords<String, byte[]> records, SendFailure failure) {
        if (producer != null) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                // Fatal for this producer (e.g. an epoch it lost): a new one fences its transaction.
                producer.close(Duration.ZERO);
                producer = null;
            }
        }
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            long first = records.records(partition).get(0).offset();
            consumer.seek(partition, first);
            from.put(partition, first);
        }
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

    private void commitWritten() {
        if (written.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(Map.copyOf(written), Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debug("link {}->{}: control progress not committed on close ({})", neighbour, region, e.getMessage());
        }
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
                consumer.assign(partitions);
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata progress = committed.get(partition);
                    if (progress == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, progress);
                    }
                }
                LOG.info("link {}->{}: control channel relaying {} into {}", neighbour, region, MeshKafkaTopics.ROUTES, target);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("link {}->{}: neighbour not reachable yet for its control topic", neighbour, region);
            }
        }
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

    /** @throws io.meshwork.core.kafka.TopicContractException if the topic exists other than the contract says */
    private static void ensureTarget(String neighbour, String region, String localBootstrap, int replicationFactor) {
        TopicContract contract = new TopicContract(region, List.of(neighbour), (short) replicationFactor, SpoolRetention.SEED);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, localBootstrap))) {
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
