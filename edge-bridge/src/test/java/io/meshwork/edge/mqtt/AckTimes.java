package io.meshwork.edge.mqtt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Records when Kafka acknowledged each record the edge's producer wrote ({@code System.nanoTime()},
 * by topic, partition and offset), so a test can tell whether an MQTT acknowledgement came after
 * it. Given to the edge as {@code interceptor.classes}, which reaches every client of the edge,
 * hence a consumer interceptor too (that does nothing).
 */
public final class AckTimes implements ProducerInterceptor<Object, Object>, ConsumerInterceptor<Object, Object> {

    private static final Map<String, Long> ACKED = new ConcurrentHashMap<>();

    /** When the record at {@code topic}-{@code partition}@{@code offset} was acknowledged, or {@code null}. */
    static Long ackedAt(String topic, int partition, long offset) {
        return ACKED.get(topic + "-" + partition + "@" + offset);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        if (exception == null && metadata != null && metadata.hasOffset()) {
            ACKED.put(metadata.topic() + "-" + metadata.partition() + "@" + metadata.offset(), System.nanoTime());
        }
    }

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        return record;
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }
}
