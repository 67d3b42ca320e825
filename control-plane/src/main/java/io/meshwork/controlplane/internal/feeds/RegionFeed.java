package io.meshwork.controlplane.internal.feeds;

import io.meshwork.controlplane.internal.directory.BrokerDirectory;
import io.meshwork.controlplane.internal.traces.TraceWriter;
import io.meshwork.core.directory.NodeHeartbeat;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.meshwork.core.trace.TraceHop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one region's {@code mesh.heartbeats} and {@code mesh.traces} into the database: each poll's
 * heartbeats into the broker directory and its trace hops as one batch insert, then commits the
 * offsets. A consumer group keeps the position, so a restarted control plane carries on where it
 * stopped; a batch that failed is read again (writes are idempotent).
 */
public final class RegionFeed implements AutoCloseable {

    /** The control plane's consumer group in every region. */
    public static final String GROUP = "meshwork-control-plane";

    private static final Logger LOG = LoggerFactory.getLogger(RegionFeed.class);

    private final String region;
    private final KafkaConsumer<String, byte[]> consumer;
    private final BrokerDirectory directory;
    private final TraceWriter traces;
    private final Thread thread;
    private final Counter storedHops;
    private final Timer batchWrites;
    private volatile boolean running = true;
    // Guards the hand-over from "interruptible" to "closing the consumer": an interrupt during
    // consumer.close makes Kafka log an ERROR with a stack trace for an ordinary stop.
    private final Object interruptLock = new Object();
    private boolean closingConsumer;

    public RegionFeed(String region, KafkaClients kafka, BrokerDirectory directory, TraceWriter traces) {
        this.region = region;
        this.directory = directory;
        this.traces = traces;
        this.consumer = kafka.consumer("control plane feed of " + region, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.CLIENT_ID_CONFIG, "control-plane-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // Router hops are written in transactions: only committed ones are real.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.storedHops = Counter.builder("mesh.traces.stored").description("Trace hops stored in message_trace_logs")
                .tag("region", region).register(MeshMetrics.registry());
        this.batchWrites = Timer.builder("mesh.traces.batch.write").description("Time to store one batch of trace hops")
                .tag("region", region).register(MeshMetrics.registry());
        this.thread = new Thread(this::run, "control-plane-feed-" + region);
        this.thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(MeshKafkaTopics.HEARTBEATS, MeshKafkaTopics.TRACES));
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    handle(records);
                    consumer.commitSync();
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    if (!running) {
                        break; // stopping: the batch is read again by the next control plane
                    }
                    LOG.warn("region {}: could not store {} heartbeat/trace records ({}); reading them again", region,
                            records.count(), e.toString());
                    rewind(records);
                }
            }
        } catch (WakeupException | InterruptException e) {
            // close() stopped us
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("region {}: control plane feed stopped", region, e);
            }
        } finally {
            synchronized (interruptLock) {
                closingConsumer = true;
                Thread.interrupted(); // consumer.close must not see close()'s interrupt
            }
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (InterruptException e) {
                // Only an interrupt from outside close() can get here now.
                LOG.debug("region {}: control plane feed closed while interrupted", region);
            }
        }
    }

    private void handle(ConsumerRecords<String, byte[]> records) {
        List<TraceHop> hops = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                continue;
            }
            try {
                if (record.topic().equals(MeshKafkaTopics.HEARTBEATS)) {
                    directory.heartbeat(NodeHeartbeat.decode(record.value()));
                } else {
                    hops.add(TraceHop.decode(record.value()));
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("region {}: skipping malformed record on {} at offset {}: {}", region, record.topic(), record.offset(),
                        e.getMessage());
            }
        }
        if (hops.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        int stored = traces.write(hops);
        long took = System.nanoTime() - started;
        batchWrites.record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
        storedHops.increment(stored);
        LOG.debug("region {}: stored {} of {} trace hops in {} µs", region, stored, hops.size(), took / 1000);
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        records.partitions().forEach(partition -> consumer.seek(partition, records.records(partition).get(0).offset()));
        try {
            Thread.sleep(1000); // the database is away: do not spin
        } catch (InterruptedException e) {
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        // Also breaks a wait for a database connection (the embedded database may already be gone on Ctrl-C).
        synchronized (interruptLock) {
            if (!closingConsumer) {
                thread.interrupt();
            }
        }
        thread.join(10_000);
    }
}
