package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.ModifiableUserProperties;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.meshwork.core.topic.TopicName;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits each delivery to the session it goes to. {@link MqttSubscriber} hands HiveMQ one message
 * for all sessions ({@link MqttGroupMember} one for a consumer group's chosen member, whose topic
 * is restored here first), carrying the mesh's bookkeeping after the publisher's user properties and a
 * last {@value #DELIVERY_PROPERTY} property saying how much bookkeeping there is and who published
 * the event; here, per session:
 * <ul>
 *   <li>the bookkeeping is taken out unless the client asked for it, with a SUBSCRIBE user
 *       property {@value #ATTRIBUTES_PROPERTY}{@code =true} (for the rest of its connection);
 *       the {@value #DELIVERY_PROPERTY} property always is;</li>
 *   <li>no-local (MQTT 5 section 3.8.3.1): an event this client published at this region's edge
 *       is not delivered to it when every subscription of the client that matches it has the
 *       no-local option. HiveMQ cannot tell, since the mesh, not the client, hands it the message.</li>
 *   <li>retain-as-published (MQTT 5 section 3.8.3.1): the live copy of an event published with
 *       RETAIN goes out with RETAIN 1 to a client with a matching retain-as-published
 *       subscription. The mesh hands HiveMQ every live copy with RETAIN 0, since HiveMQ would
 *       otherwise store it as the topic's retained message, bypassing the mesh-wide
 *       last-writer-wins order of {@code mesh.retained}.</li>
 * </ul>
 * Messages without the delivery property (not from the mesh) pass unchanged.
 */
final class MqttDeliveryInterceptor implements PublishOutboundInterceptor, SubscribeInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttDeliveryInterceptor.class);
    /** The last user property of a delivery as handed to HiveMQ; never reaches a client. */
    static final String DELIVERY_PROPERTY = "mesh-delivery";
    /** SUBSCRIBE user property with which a client asks for the mesh's bookkeeping as user properties. */
    static final String ATTRIBUTES_PROPERTY = "mesh-attributes";
    private static final String WANTS_ATTRIBUTES = "meshwork.mesh-attributes";
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);
    private static final String RETAINED = "r";

    private final String region;
    // Captured in extensionStart, like every HiveMQ service (see MeshExtension).
    private final AtomicReference<SubscriptionStore> subscriptions = new AtomicReference<>();

    MqttDeliveryInterceptor(String region) {
        this.region = region;
    }

    void bind(SubscriptionStore store) {
        subscriptions.set(store);
    }

    /** The value of {@value #DELIVERY_PROPERTY}: bookkeeping count, publisher region, retained or not, publisher client id. */
    static String deliveryValue(int bookkeeping, String publisherRegion, boolean publishedRetained, String publisherClient) {
        return bookkeeping + ";" + publisherRegion + ";" + (publishedRetained ? RETAINED : "-") + ";" + publisherClient;
    }

    @Override
    public void onInboundSubscribe(SubscribeInboundInput input, SubscribeInboundOutput output) {
        boolean asked = input.getSubscribePacket().getUserProperties().getAllForName(ATTRIBUTES_PROPERTY).stream()
                .anyMatch("true"::equalsIgnoreCase);
        if (asked) {
            input.getConnectionInformation().getConnectionAttributeStore().putAsString(WANTS_ATTRIBUTES, "true");
        }
    }

    @Override
    public void onOutboundPublish(PublishOutboundInput input, PublishOutboundOutput output) {
        // A consumer group's delivery to its chosen member goes out on the event's own topic.
        MqttTopicFilter.eventTopic(output.getPublishPacket().getTopic()).ifPresent(output.getPublishPacket()::setTopic);
        ModifiableUserProperties properties = output.getPublishPacket().getUserProperties();
        List<UserProperty> all = List.copyOf(properties.asList());
        if (all.isEmpty() || !all.get(all.size() - 1).getName().equals(DELIVERY_PROPERTY)) {
            return;
        }
        String[] delivery = all.get(all.size() - 1).getValue().split(";", 4);
        int bookkeeping;
        try {
            bookkeeping = delivery.length == 4 ? Integer.parseInt(delivery[0]) : -1;
        } catch (NumberFormatException e) {
            bookkeeping = -1;
        }
        if (bookkeeping < 0 || bookkeeping > all.size() - 1) {
            return; // not written by MqttOutboundMessage: leave the message as it is
        }
        ConnectionAttributeStore connection = input.getConnectionInformation().getConnectionAttributeStore();
        int keep = all.size() - 1 - (connection.getAsString(WANTS_ATTRIBUTES).isPresent() ? 0 : bookkeeping);
        properties.clear();
        all.subList(0, keep).forEach(properties::addUserProperty);

        String clientId = input.getClientInformation().getClientId();
        SubscriptionStore store = subscriptions.get();
        boolean ownMessage = region.equals(delivery[1]) && clientId.equals(delivery[3]);
        boolean liveRetained = RETAINED.equals(delivery[2]) && !output.getPublishPacket().getRetain();
        if (store == null || !(ownMessage || liveRetained)) {
            return;
        }
        // The client's own message, or a live copy of a retained publish: rare, so its subscriptions are looked up only now.
        String topic = output.getPublishPacket().getTopic();
        Async<PublishOutboundOutput> async = output.async(LOOKUP_TIMEOUT, TimeoutFallback.SUCCESS);
        store.getSubscriptions(clientId).whenComplete((subscribed, error) -> {
            try {
                if (error != null) {
                    return;
                }
                if (ownMessage && onlyNoLocal(subscribed, topic)) {
                    LOG.debug("region {}: MQTT client {} not sent its own message on '{}' (no-local)", region, clientId, topic);
                    output.preventPublishDelivery();
                } else if (liveRetained && anyRetainAsPublished(subscribed, topic)) {
                    output.getPublishPacket().setRetain(true);
                }
            } finally {
                async.resume();
            }
        });
    }

    /** Whether every subscription matching {@code topic} has the no-local option (and there is one). */
    static boolean onlyNoLocal(Set<TopicSubscription> subscribed, String topic) {
        TopicName name;
        try {
            name = TopicName.of(topic);
        } catch (IllegalArgumentException e) {
            return false;
        }
        List<TopicSubscription> matching = subscribed.stream().filter(subscription -> matches(subscription.getTopicFilter(), name)).toList();
        return !matching.isEmpty() && matching.stream().allMatch(TopicSubscription::getNoLocal);
    }

    /** Whether a subscription matching {@code topic} has the retain-as-published option. */
    static boolean anyRetainAsPublished(Set<TopicSubscription> subscribed, String topic) {
        TopicName name;
        try {
            name = TopicName.of(topic);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return subscribed.stream().anyMatch(subscription -> subscription.getRetainAsPublished()
                && matches(subscription.getTopicFilter(), name));
    }

    private static boolean matches(String filter, TopicName topic) {
        try {
            return MqttTopicFilter.parse(filter).pattern().matches(topic);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
