package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.Routing;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.Accepted;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.retained.RetainedFollower;
import io.meshwork.edge.internal.retained.RetainedWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retained PUBLISH: delivered to the topic's current subscribers like any publish (through
 * {@code mesh.events}), then kept as the topic's retained message in the region's
 * {@code mesh.retained}, from where every region's edges serve it. An empty payload deletes the
 * retained message (and is still delivered, as MQTT says). Acknowledged once Kafka has both; a
 * publish the reader refuses (an invalid topic, say) is refused as any publish and nothing is kept.
 * Wills with the retain flag take the same way when they are due.
 */
final class MqttRetainedPublishes {

    private static final Logger LOG = LoggerFactory.getLogger(MqttRetainedPublishes.class);
    // Bounds the PUBACK's wait on this edge's copy; past it the message is still kept in Kafka and served once read.
    private static final Duration SERVED_HERE_WAIT = Duration.ofSeconds(5);

    private final MqttEventReader reader;
    private final Ingress ingress;
    private final RetainedWriter writer;
    private final Executor answers;
    private final String region;
    private final String brokerId;
    private final RetainedFollower.Applied servedHere;

    /**
     * @param servedHere when a record of {@code mesh.retained} is in this edge's broker store
     */
    MqttRetainedPublishes(MqttEventReader reader, Ingress ingress, RetainedWriter writer, Executor answers, String region,
                          String brokerId, RetainedFollower.Applied servedHere) {
        this.reader = reader;
        this.ingress = ingress;
        this.writer = writer;
        this.answers = answers;
        this.region = region;
        this.brokerId = brokerId;
        this.servedHere = servedHere;
    }

    /** As {@link Ingress#publish}: completes on the answer executor, or at once when the PUBLISH is refused as read. */
    CompletableFuture<Accepted> publish(long receivedAtNanos, String clientId, PublishPacket packet) {
        return publish(receivedAtNanos, clientId, packet.getTopic(), () -> PublishQos.stamp(reader.read(clientId, packet.getTopic(),
                MqttMessageProperties.of(packet), MqttPublishInterceptor.bytes(packet.getPayload().orElse(null))), packet.getQos()));
    }

    /** A will with the retain flag, when it is due: published and kept as any retained PUBLISH. */
    CompletableFuture<Accepted> publishWill(String clientId, String topic, CloudEvent will) {
        return publish(System.nanoTime(), clientId, topic, () -> will);
    }

    private CompletableFuture<Accepted> publish(long receivedAtNanos, String clientId, String topic, Supplier<CloudEvent> reading) {
        AtomicReference<CloudEvent> read = new AtomicReference<>();
        CompletableFuture<Accepted> published = ingress.publish(receivedAtNanos, () -> {
            // Marked, so that subscriptions with retain-as-published get the live copy with RETAIN 1.
            CloudEvent event = CloudEventBuilder.from(reading.get()).withExtension(MqttAttributes.RETAIN, "true").build();
            read.set(event);
            return event;
        });
        if (published.isDone()) {
            return published;
        }
        return published.thenCompose(accepted -> writer.write(new MeshEvent(read.get(), Routing.publishedAt(region, brokerId)))
                .<RecordMetadata>handleAsync((metadata, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        LOG.warn("region {}: retained message {} of MQTT client {} on '{}' not written to mesh.retained: {}", region,
                                accepted.eventId(), clientId, topic, cause.toString());
                        throw new Refusal(ClientError.BROKER_UNAVAILABLE, "retain",
                                "the event was delivered, but the regional Kafka cluster did not keep it as retained message: "
                                        + cause.getMessage(), cause);
                    }
                    LOG.debug("region {}: MQTT client {} retained {} on '{}'", region, clientId, accepted.eventId(), topic);
                    return metadata;
                }, answers)
                // Answered once this edge's broker serves it, so a subscribe after the PUBACK gets it (MQTT-3.3.1-6).
                .thenCompose(metadata -> servedHere.appliedThrough(metadata.offset())
                        .completeOnTimeout(null, SERVED_HERE_WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .thenApplyAsync(served -> accepted, answers));
    }
}
