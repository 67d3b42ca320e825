package io.meshwork.edge.internal.retained;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.retained.RetainedRecords;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes this region's retained publishes to its {@code mesh.retained} ({@link RetainedRecords}):
 * the event as on {@code mesh.events}, keyed {@code <region>|<mesh topic>}; an event without data
 * deletes the topic's retained message. The broker stamps the record's time, which is its version.
 */
public final class RetainedWriter implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final KafkaEventCodec codec;
    private final String region;

    public RetainedWriter(KafkaClients kafka, String region, KafkaEventCodec codec) {
        String clientId = "edge-retained-" + region;
        this.producer = kafka.producer(clientId, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                // Idempotent: a retry never appends an older record of a key after a newer one.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000),
                new StringSerializer(), new ByteArraySerializer());
        this.codec = codec;
        this.region = region;
    }

    /** Writes {@code event} as its topic's retained message; completes on Kafka's I/O thread once acknowledged. */
    public CompletableFuture<RecordMetadata> write(MeshEvent event) {
        CompletableFuture<RecordMetadata> acknowledged = new CompletableFuture<>();
        try {
            ProducerRecord<String, byte[]> encoded = codec.encode(MeshKafkaTopics.RETAINED, event, System.currentTimeMillis());
            byte[] value = encoded.value() == null ? new byte[0] : encoded.value(); // a deletion is a record, never a tombstone
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshKafkaTopics.RETAINED, 0, null,
                    RetainedRecords.key(region, event.topic().value()), value, encoded.headers());
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    acknowledged.complete(metadata);
                } else {
                    acknowledged.completeExceptionally(error);
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
