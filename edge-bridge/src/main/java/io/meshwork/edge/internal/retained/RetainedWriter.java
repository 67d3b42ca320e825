package io.meshwork.edge.internal.retained;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.retained.RetainedRecords;
import io.meshwork.edge.internal.publish.EventPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes this region's retained publishes to its {@code mesh.retained} ({@link RetainedRecords}):
 * the event as on {@code mesh.events}, keyed {@code <region>|<mesh topic>}; an event without data
 * deletes the topic's retained message. The broker stamps the record's time, which is its version.
 * Uses the edge's publisher (one idempotent producer, so a retry never appends an older record of
 * a key after a newer one).
 */
public final class RetainedWriter {

    private final EventPublisher publisher;
    private final KafkaEventCodec codec;
    private final String region;

    public RetainedWriter(EventPublisher publisher, String region, KafkaEventCodec codec) {
        this.publisher = publisher;
        this.codec = codec;
        this.region = region;
    }

    /** Writes {@code event} as its topic's retained message; completes on Kafka's I/O thread once acknowledged. */
    public CompletableFuture<RecordMetadata> write(MeshEvent event) {
        try {
            ProducerRecord<String, byte[]> encoded = codec.encode(MeshKafkaTopics.RETAINED, event, System.currentTimeMillis());
            byte[] value = encoded.value() == null ? new byte[0] : encoded.value(); // a deletion is a record, never a tombstone
            return publisher.send(new ProducerRecord<>(MeshKafkaTopics.RETAINED, 0, null,
                    RetainedRecords.key(region, event.topic().value()), value, encoded.headers()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
