package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.packets.subscribe.RetainHandling;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.TopicSubscriptionBuilder;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a subscription whose SUBACK the edge holds (waiting for the mesh) into its persistent
 * session at once, through HiveMQ's {@link SubscriptionStore}.
 *
 * <p>Why: HiveMQ adds a subscription to the session only once the authorizer answered, reads
 * nothing more from that connection meanwhile, and drops the subscription if the connection is
 * gone by then. A client that sends SUBSCRIBE and DISCONNECT without waiting for the SUBACK (the
 * Paho interoperability suite's "offline message queueing" and "redelivery on reconnect" cases)
 * lost the subscription while the mesh kept its interest, so nothing was queued for it. MQTT
 * treats a received SUBSCRIBE as part of the session, and lets the server send matching
 * PUBLISHes before the SUBACK (3.1.1 section 3.8.4), so the session holds it from the start.
 *
 * <p>Only for sessions that outlive their connection (a clean session ends with it anyway), and
 * not for retain handling 1 (send retained messages only for a new subscription): HiveMQ would
 * then find the subscription already there when it answers and send none.
 */
final class HeldSubscriptions {

    private static final Logger LOG = LoggerFactory.getLogger(HeldSubscriptions.class);

    private final String region;
    // From this broker instance's own services, captured in extensionStart.
    private final AtomicReference<SubscriptionStore> store = new AtomicReference<>();

    HeldSubscriptions(String region) {
        this.region = region;
    }

    void bind(SubscriptionStore subscriptionStore) {
        store.set(subscriptionStore);
    }

    /**
     * Adds the subscription {@code input} names, with its options and subscription identifier,
     * to the client's session, if the session outlives the connection.
     *
     * @param sessionExpiry the connection's session expiry interval in seconds
     */
    void keepWhileHeld(SubscriptionAuthorizerInput input, long sessionExpiry) {
        SubscriptionStore subscriptions = store.get();
        if (subscriptions == null || sessionExpiry <= 0
                || input.getSubscription().getRetainHandling() == RetainHandling.SEND_IF_NEW_SUBSCRIPTION) {
            return;
        }
        String clientId = input.getClientInformation().getClientId();
        String filter = input.getSubscription().getTopicFilter();
        TopicSubscription subscription = asStored(input).orElse(null);
        if (subscription == null) {
            return;
        }
        subscriptions.addSubscription(clientId, subscription).whenComplete((done, error) -> {
            if (error != null) {
                LOG.warn("region {}: subscription '{}' of MQTT client {} joins its session only with the SUBACK: {}", region,
                        filter, clientId, error.toString());
            }
        });
    }

    /**
     * The subscription {@code input} names, with its options and subscription identifier, as
     * HiveMQ's store takes it; empty for a filter the store does not take (it joins the session
     * with its SUBACK).
     */
    static Optional<TopicSubscription> asStored(SubscriptionAuthorizerInput input) {
        try {
            TopicSubscriptionBuilder builder = Builders.topicSubscription().fromSubscription(input.getSubscription());
            input.getSubscriptionIdentifier().ifPresent(builder::subscriptionIdentifier);
            return Optional.of(builder.build());
        } catch (RuntimeException e) {
            // HiveMQ's store takes fewer filters than its SUBSCRIBE does; such a one waits for the SUBACK.
            LOG.debug("subscription '{}' of MQTT client {} waits for its SUBACK to join the session: {}",
                    input.getSubscription().getTopicFilter(), input.getClientInformation().getClientId(), e.toString());
            return Optional.empty();
        }
    }
}
