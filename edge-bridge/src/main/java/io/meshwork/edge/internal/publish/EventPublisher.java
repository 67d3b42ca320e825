package io.meshwork.edge.internal.publish;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.trace.TraceMode;
import io.meshwork.edge.internal.traces.EdgeTracing;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes published events to the region's {@code mesh.events}. A publish completes only once
 * every in-sync replica has the record ({@code acks=all}), so an accepted event is never lost.
 */
public final class EventPublisher implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final KafkaEventCodec codec;
    private final EdgeTracing tracing;

    public EventPublisher(KafkaClients kafka, String clientId, KafkaEventCodec codec) {
        this(kafka, clientId, codec, null);
    }

    /** @param tracing decides which events are traced and reports their PUBLISH hop; {@code null}: none */
    public EventPublisher(KafkaClients kafka, String clientId, KafkaEventCodec codec, EdgeTracing tracing) {
        this(kafka.producer(clientId, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // Local delivery is latency-bound (seed: < 5 ms); batching would only add delay.
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer()), codec, tracing);
    }

    /**
     * Publishes through {@code producer}, which must acknowledge as the constructor above
     * configures it ({@code acks=all}, idempotent); for tests with Kafka's {@code MockProducer}.
     */
    public EventPublisher(Producer<String, byte[]> producer, KafkaEventCodec codec, EdgeTracing tracing) {
        this.producer = producer;
        this.codec = codec;
        this.tracing = tracing;
    }

    /** Publishes {@code event}; the future completes when Kafka acknowledged the write. */
    public CompletableFuture<RecordMetadata> publish(MeshEvent event) {
        try {
            long sentAt = System.currentTimeMillis();
            ProducerRecord<String, byte[]> record = codec.encode(MeshKafkaTopics.EVENTS, event, sentAt);
            TraceMode mode = tracing == null ? TraceMode.NONE : tracing.decide(event, record.headers(), sentAt);
            return send(record).thenApply(metadata -> {
                if (mode.traced()) {
                    tracing.published(event, mode, sentAt, System.currentTimeMillis());
                }
                return metadata;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Writes any record of the region with the same guarantees ({@code acks=all}, idempotent), e.g.
     * a retained message; the future completes on Kafka's I/O thread once acknowledged.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acknowledged.completeExceptionally(error);
                } else {
                    acknowledged.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acknowledged.completeExceptionally(e);
        }
        return acknowledged;
    }

    @Override
    public void close() {
        producer.close();
    }
}
