package io.meshwork.core.trace;

import io.meshwork.core.kafka.BestEffortWriter;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Writes an edge's trace hops to the region's {@code mesh.traces}. Tracing must never slow or
 * fail a publish: sends are asynchronous, metadata waits are short, and a failure is logged once
 * (e.g. a cluster without the topic) rather than per event.
 */
public final class TraceEmitter implements AutoCloseable {

    private final BestEffortWriter writer;
    /** Sends leave the caller's thread: a send may wait for metadata, a publish must not. Full queue: dropped. */
    private final ThreadPoolExecutor sender;

    public TraceEmitter(KafkaClients kafka, String region, String clientId) {
        this.writer = new BestEffortWriter(kafka, clientId, MeshKafkaTopics.TRACES, "region " + region + ": " + clientId,
                Map.of(
                        // Traces are sampled and batched by the reader anyway: a little linger is free.
                        ProducerConfig.LINGER_MS_CONFIG, 5,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000));
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000), runnable -> {
            Thread thread = new Thread(runnable, clientId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Queues {@code hop} for {@code mesh.traces}; returns at once. */
    public void emit(TraceHop hop) {
        try {
            sender.execute(() -> writer.send(hop.eventId(), hop.encode()));
        } catch (RejectedExecutionException e) {
            writer.failed(e);
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
        writer.close(Duration.ofSeconds(5));
    }
}
