package io.meshwork.core.trace;

import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an edge's trace hops to the region's {@code mesh.traces}. Tracing must never slow or
 * fail a publish: sends are asynchronous, metadata waits are short, and a failure is logged once
 * (e.g. a cluster without the topic) rather than per event.
 */
public final class TraceEmitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TraceEmitter.class);

    private final String region;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean warned = new AtomicBoolean();
    /** Sends leave the caller's thread: a send may wait for metadata, a publish must not. Full queue: dropped. */
    private final ThreadPoolExecutor sender;

    public TraceEmitter(String bootstrapServers, String region, String clientId) {
        this.region = region;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "1",
                // Traces are sampled and batched by the reader anyway: a little linger is free.
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new ByteArraySerializer());
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), runnable -> {
            Thread thread = new Thread(runnable, clientId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues {@code hop} for {@code mesh.traces}; returns at once. */
    public void emit(TraceHop hop) {
        try {
            sender.execute(() -> send(hop));
        } catch (RejectedExecutionException e) {
            failed(e);
        }
    }

    private void send(TraceHop hop) {
        try {
            producer.send(new ProducerRecord<>(MeshKafkaTopics.TRACES, hop.eventId(), hop.encode()), (metadata, error) -> {
                if (error != null) {
                    failed(error);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(Exception error) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("region {}: cannot write trace hops to {} ({}); further failures are not logged",
                    region, MeshKafkaTopics.TRACES, error.toString());
        }
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
