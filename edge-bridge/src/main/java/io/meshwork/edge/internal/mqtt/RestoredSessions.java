package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.session.SessionInformation;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With a data directory, HiveMQ reloads the persistent sessions it kept in files when the edge
 * starts again; the mesh knows nothing of them yet. This registers the interest of every restored
 * subscription as the listener starts, so that events for an offline session keep coming
 * from this region and every other one, and hands each offline session's expiry to
 * {@link MqttSessions}, which withdraws the interest when it passes.
 *
 * <p>HiveMQ does not tell when an offline session was left, so its expiry is counted again from
 * the restart: the interest may outlive the session by up to the time the edge was down, never
 * the other way round (an event for an expired session is simply not delivered).
 */
final class RestoredSessions {

    private static final Logger LOG = LoggerFactory.getLogger(RestoredSessions.class);

    private final String region;
    // This broker instance's own services, captured in extensionStart.
    private final AtomicReference<SubscriptionStore> subscriptions = new AtomicReference<>();
    private final AtomicReference<ClientService> clients = new AtomicReference<>();

    RestoredSessions(String region) {
        this.region = region;
    }

    void bind(SubscriptionStore subscriptionStore, ClientService clientService) {
        subscriptions.set(subscriptionStore);
        clients.set(clientService);
    }

    /**
     * Registers the interest of every subscription the broker restored and waits for it.
     *
     * @return how many sessions held subscriptions
     */
    int restore(MqttInterest interest, MqttSessions sessions, long timeoutSeconds) throws Exception {
        Map<String, List<String>> filtersByClient = new ConcurrentHashMap<>();
        subscriptions.get().iterateAllSubscriptions((context, result) -> {
            List<String> filters = new ArrayList<>();
            for (TopicSubscription subscription : result.getSubscriptions()) {
                filters.add(subscription.getTopicFilter());
            }
            filtersByClient.put(result.getClientId(), filters);
        }).get(timeoutSeconds, TimeUnit.SECONDS);
        for (Map.Entry<String, List<String>> client : filtersByClient.entrySet()) {
            String clientId = client.getKey();
            for (String filter : client.getValue()) {
                try {
                    MqttTopicFilter parsed = MqttTopicFilter.parse(filter);
                    if (!parsed.shared()) { // a group member's joins when its client connects (MqttGroupMembers.connected)
                        interest.add(clientId, parsed);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.warn("region {}: restored subscription '{}' of MQTT session {} is not a mesh pattern, not served: {}",
                            region, filter, clientId, e.getMessage());
                }
            }
            SessionInformation session = clients.get().getSession(clientId).get(timeoutSeconds, TimeUnit.SECONDS).orElse(null);
            if (session != null && !session.isConnected()) {
                sessions.restoredOffline(clientId, session.getSessionExpiryInterval());
            }
        }
        if (!filtersByClient.isEmpty()) {
            LOG.info("region {}: restored {} persistent MQTT session(s) with {} subscription(s) from the data directory", region,
                    filtersByClient.size(), filtersByClient.values().stream().mapToInt(List::size).sum());
        }
        return filtersByClient.size();
    }
}
