package io.meshwork.edge.internal.retained;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a protocol keeps the retained messages it serves on subscribe; called by {@link RetainedFollower}'s thread. */
public interface RetainedSink {

    /** {@code record} (an event, as on {@code mesh.events}) is now {@code topic}'s retained message. */
    void retain(String topic, ConsumerRecord<String, byte[]> record);

    /** {@code topic} has no retained message any more. */
    void remove(String topic);
}
