package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT listener as one subscriber of the edge: hands every matching event to the embedded
 * broker, which delivers it to each MQTT session whose subscriptions match, at the QoS the event
 * was published with ({@link PublishQos}; HiveMQ lowers it to the QoS the session subscribed with),
 * with the MQTT 5 properties of {@link MqttOutboundMessage}; an event whose message expiry has
 * passed is not handed on. An event is handed over once ({@link HandedOver}).
 *
 * <p>{@link PublishService#publish} only queues the message, so the Kafka delivery thread never
 * waits for a client. HiveMQ bounds each session's queue (1,000 messages, newest discarded).
 */
final class MqttSubscriber implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscriber.class);

    private final String id;
    // Set in extensionStart, from this broker instance's own services (never Services.* later:
    // the static registry belongs to whichever instance in the JVM started last).
    private final AtomicReference<PublishService> publishService = new AtomicReference<>();
    private final HandedOver handedOver = new HandedOver(HandedOver.DEFAULT_CAPACITY);

    MqttSubscriber(String id) {
        this.id = id;
    }

    void bind(PublishService service) {
        publishService.set(service);
    }

    /** Stops handing events to the broker, which is about to stop. */
    void unbind() {
        publishService.set(null);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void deliver(OutboundEvent event) {
        PublishService service = publishService.get();
        if (service == null) {
            return; // not started yet or stopping: no MQTT session can receive it
        }
        EventEnvelope envelope = event.envelope();
        if (envelope.getTopic().startsWith(MqttTopicFilter.GROUP_PREFIX)) {
            // Reserved for the consumer groups' own deliveries (MqttGroupMember): handed to every
            // session, it would reach group members as if the group had chosen them.
            LOG.debug("{}: event {} on reserved topic {} not handed to MQTT sessions", id, envelope.getEventId(), envelope.getTopic());
            return;
        }
        if (!handedOver.first(envelope.getHeadersMap().getOrDefault("source", ""), envelope.getEventId())) {
            LOG.debug("{}: event {} on {} was handed to MQTT sessions already, not again", id, envelope.getEventId(), envelope.getTopic());
            return;
        }
        Publish publish = render(envelope, System.currentTimeMillis()).orElse(null);
        if (publish == null) {
            LOG.debug("{}: event {} on {} expired before delivery (MQTT message expiry)", id, envelope.getEventId(), envelope.getTopic());
            return;
        }
        service.publish(publish).whenComplete((done, error) -> {
            if (error != null) {
                LOG.warn("{}: event {} on {} not handed to MQTT sessions: {}", id, envelope.getEventId(), envelope.getTopic(),
                        error.toString());
            }
        });
    }

    /**
     * The MQTT message of an event at {@code nowMs}, as sessions receive it (and as a retained
     * message is kept); empty once its message expiry has passed.
     */
    static Optional<Publish> render(EventEnvelope envelope, long nowMs) {
        return render(envelope, nowMs, envelope.getTopic());
    }

    /** As {@link #render(EventEnvelope, long)}, handed to the broker under {@code brokerTopic}. */
    static Optional<Publish> render(EventEnvelope envelope, long nowMs, String brokerTopic) {
        return MqttOutboundMessage.of(envelope, nowMs).map(message -> {
            // Builders hands out stateless builder implementations; only the service is per instance.
            PublishBuilder publish = Builders.publish()
                    .topic(brokerTopic)
                    .qos(PublishQos.of(envelope.getHeadersMap()))
                    .payload(envelope.getPayloadBytes().asReadOnlyByteBuffer());
            message.applyTo(publish);
            return publish.build();
        });
    }

    @Override
    public String toString() {
        return id;
    }
}
