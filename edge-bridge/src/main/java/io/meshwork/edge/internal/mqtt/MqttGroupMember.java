package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.services.publish.Publish;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.PublishToClientResult;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT session's membership of a consumer group ({@link MqttTopicFilter#shared}), as the
 * group's {@code ConsumerGroup} sees it: the events the group gives it are handed to that session
 * alone ({@link PublishService#publishToClient}), under {@link MqttTopicFilter#memberTopic} so
 * that only the session's held group subscription matches, with the QoS, message expiry and MQTT 5
 * properties of any mesh delivery ({@link MqttSubscriber#render}); {@link MqttDeliveryInterceptor}
 * restores the event's topic on the way out.
 *
 * <p>Not a {@code Backlog}: HiveMQ owns the session's queue and does not show its length, so the
 * group's choice is by key alone for MQTT members; a member that falls behind meets its session's
 * queue overflow strategy ({@code edge.mqtt.queue.overflow}).
 */
final class MqttGroupMember implements Subscriber {

    private static final Logger LOG = LoggerFactory.getLogger(MqttGroupMember.class);

    private final String region;
    private final String clientId;
    private final MqttTopicFilter filter;
    private final Supplier<PublishService> publishService;
    private final Consumer<MqttGroupMember> notSubscribed;

    /**
     * @param notSubscribed told when the broker finds the session no longer holds the subscription
     *                      (it ended before the edge heard of it), so the member leaves its group
     */
    MqttGroupMember(String region, String clientId, MqttTopicFilter filter, Supplier<PublishService> publishService,
                    Consumer<MqttGroupMember> notSubscribed) {
        this.region = Objects.requireNonNull(region, "region");
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        if (!filter.shared()) {
            throw new IllegalArgumentException("'" + filter.filter() + "' is no consumer group's subscription");
        }
        this.filter = filter;
        this.publishService = publishService;
        this.notSubscribed = notSubscribed;
    }

    String clientId() {
        return clientId;
    }

    MqttTopicFilter filter() {
        return filter;
    }

    @Override
    public String id() {
        return "mqtt:" + clientId;
    }

    @Override
    public void deliver(OutboundEvent event) {
        EventEnvelope envelope = event.envelope();
        PublishService service = publishService.get();
        if (service == null) {
            LOG.warn("region {}: event {} on {} for MQTT client {} in group '{}' not delivered: the MQTT listener is stopping",
                    region, envelope.getEventId(), envelope.getTopic(), clientId, filter.group());
            return;
        }
        long now = System.currentTimeMillis();
        Publish publish = MqttSubscriber.render(envelope, now, MqttTopicFilter.memberTopic(filter.group(), envelope.getTopic()))
                .orElse(null);
        if (publish == null) {
            LOG.debug("region {}: event {} on {} expired before delivery to MQTT client {} (MQTT message expiry)", region,
                    envelope.getEventId(), envelope.getTopic(), clientId);
            return;
        }
        service.publishToClient(publish, clientId).whenComplete((result, error) -> {
            if (error != null || result != PublishToClientResult.SUCCESSFUL) {
                LOG.warn("region {}: event {} on {} not delivered to MQTT client {} of group '{}': {}", region,
                        envelope.getEventId(), envelope.getTopic(), clientId, filter.group(),
                        error != null ? error.toString() : "its session no longer holds '" + filter.filter() + "'; it leaves the group");
                if (result == PublishToClientResult.NOT_SUBSCRIBED) {
                    notSubscribed.accept(this);
                }
            }
        });
    }

    @Override
    public String toString() {
        return "MQTT client " + clientId + " ('" + filter.filter() + "')";
    }
}
