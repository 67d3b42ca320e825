package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import io.meshwork.core.envelope.EnvelopeMapper;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.edge.internal.retained.RetainedSink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded broker's own retained message store equal to the mesh's retained messages
 * of this region ({@code mesh.retained}, as the follower reads it). HiveMQ then serves them on
 * subscribe itself, with the RETAIN flag, MQTT 5 retain handling (0, 1, 2) and no retained
 * messages for shared subscriptions, as the specification says.
 *
 * <p>A retained message looks exactly as the live event does ({@link MqttSubscriber#render}).
 * Each change is applied before the next one (the follower waits), so a replacement and a
 * deletion of one topic are never applied out of order.
 */
final class MqttRetainedStore implements RetainedSink {

    private static final Logger LOG = LoggerFactory.getLogger(MqttRetainedStore.class);
    private static final long APPLY_TIMEOUT_SECONDS = 10;

    private final String region;
    private final KafkaEventCodec codec;
    // Captured in extensionStart from this broker instance's own services (never Services.* later).
    private final AtomicReference<RetainedMessageStore> store = new AtomicReference<>();

    MqttRetainedStore(String region, KafkaEventCodec codec) {
        this.region = region;
        this.codec = codec;
    }

    void bind(RetainedMessageStore retainedMessageStore) {
        store.set(retainedMessageStore);
    }

    @Override
    public void retain(String topic, ConsumerRecord<String, byte[]> record) {
        RetainedMessageStore target = store.get();
        if (target == null) {
            return;
        }
        var envelope = decode(topic, record);
        if (envelope == null) {
            return;
        }
        var publish = MqttSubscriber.render(envelope, System.currentTimeMillis());
        if (publish.isEmpty()) {
            // Its MQTT message expiry passed: a retained message that expired is not served (MQTT 5 3.3.2.3.3).
            apply(topic, "remove expired", target.remove(topic));
            return;
        }
        apply(topic, "keep", target.addOrReplace(Builders.retainedPublish().fromPublish(publish.get()).build()));
    }

    @Override
    public void remove(String topic) {
        RetainedMessageStore target = store.get();
        if (target != null) {
            apply(topic, "remove", target.remove(topic));
        }
    }

    private io.meshwork.schema.v1.EventEnvelope decode(String topic, ConsumerRecord<String, byte[]> record) {
        try {
            return EnvelopeMapper.toEnvelope(codec.decode(record), record.timestamp());
        } catch (InvalidEventException e) {
            LOG.warn("region {}: retained message for '{}' at mesh.retained@{} is not a valid event, not served: {} ({})", region, topic,
                    record.offset(), e.getMessage(), e.field());
            return null;
        }
    }

    private void apply(String topic, String action, CompletableFuture<Void> done) {
        try {
            done.get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("region {}: MQTT broker did not {} the retained message of '{}': {}", region, action, topic,
                    e instanceof ExecutionException ? e.getCause().toString() : "no answer in " + APPLY_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
