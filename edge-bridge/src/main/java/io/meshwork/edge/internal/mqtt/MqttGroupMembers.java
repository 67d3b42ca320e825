package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;
import io.meshwork.core.selector.Selector;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT sessions of this edge that are members of consumer groups, each membership joined to
 * the edge's consumer group of that name and pattern ({@link SubscriptionRegistry#subscribe} with
 * a group), the same groups WebSocket and gRPC members join: the group's feed reads its share of
 * the region's events from Kafka and gives each event to one member, on whichever edge and
 * protocol. A membership lasts while its session is connected and holds the subscription: it
 * leaves on UNSUBSCRIBE and when the connection ends (a persistent session keeps the held
 * subscription, and {@link #rejoin}s when its client reconnects); so a member that leaves hands
 * its share to the others, as any member does.
 *
 * <p>Synchronized, the registry called under this lock: sessions change on HiveMQ's threads, and
 * a membership must not be added after its connection ended. The registry has its own lock and
 * never calls back here, so the nesting cannot deadlock.
 */
final class MqttGroupMembers {

    private static final Logger LOG = LoggerFactory.getLogger(MqttGroupMembers.class);

    private final SubscriptionRegistry registry;
    private final String region;
    // This broker instance's own services, captured in extensionStart (see MeshExtension).
    private final AtomicReference<PublishService> publishService = new AtomicReference<>();
    private final AtomicReference<SubscriptionStore> subscriptions = new AtomicReference<>();
    private final Map<String, Map<String, MqttGroupMember>> byClient = new HashMap<>();
    /** Clients whose connection is up: a membership completed after its connection ended is not added. */
    private final Set<String> connected = new HashSet<>();

    MqttGroupMembers(SubscriptionRegistry registry, String region) {
        this.registry = registry;
        this.region = region;
    }

    void bind(PublishService publishes, SubscriptionStore store) {
        publishService.set(publishes);
        subscriptions.set(store);
    }

    /** Stops handing events to the broker, which is about to stop. */
    void unbind() {
        publishService.set(null);
    }

    /**
     * Makes {@code clientId}'s session a member with {@code subscription} (the filter as HiveMQ
     * holds it, {@code filter} parsed). The subscription is put into the session first, so the
     * member can take events before its SUBACK is sent (MQTT allows PUBLISHes before the SUBACK).
     *
     * @return completes once the group delivers to the member: its feed holds its share of the region's events
     */
    CompletableFuture<Void> join(String clientId, MqttTopicFilter filter, TopicSubscription subscription) {
        SubscriptionStore store = subscriptions.get();
        CompletableFuture<Void> held = store == null ? CompletableFuture.completedFuture(null)
                : store.addSubscription(clientId, subscription).exceptionally(error -> {
                    // Added with the SUBACK anyway; events given to the member before then are not delivered (logged).
                    LOG.warn("region {}: subscription '{}' of MQTT client {} joins its session only with the SUBACK: {}", region,
                            filter.filter(), clientId, error.toString());
                    return null;
                });
        return held.thenCompose(done -> {
            add(clientId, filter);
            return registry.whenDelivering(filter.pattern(), "", Optional.of(filter.group()));
        });
    }

    /** Ends the membership of {@code clientId}'s session with the held filter {@code filter} (an UNSUBSCRIBE); false if it held none. */
    synchronized boolean leave(String clientId, String filter) {
        Map<String, MqttGroupMember> members = byClient.get(clientId);
        MqttGroupMember member = members == null ? null : members.remove(filter);
        if (members != null && members.isEmpty()) {
            byClient.remove(clientId);
        }
        if (member == null) {
            return false;
        }
        registry.unsubscribe(member, member.filter().pattern(), "", Optional.of(member.filter().group()));
        return true;
    }

    /**
     * The connection of {@code clientId} ended: its memberships end (their events go to the
     * other members from now on). Its session's held subscriptions stay with the session.
     */
    synchronized void connectionEnded(String clientId) {
        connected.remove(clientId);
        Map<String, MqttGroupMember> members = byClient.remove(clientId);
        if (members != null) {
            members.values().forEach(registry::removeAll);
        }
    }

    /**
     * A client connects. To a session that may hold group subscriptions from before (not a clean
     * start: a persistent session, or one restored from the data directory) it becomes a member
     * again with each of them.
     */
    void connected(String clientId, boolean cleanStart) {
        synchronized (this) {
            connected.add(clientId);
            Map<String, MqttGroupMember> taken = cleanStart ? byClient.remove(clientId) : null;
            if (taken != null) {
                // A clean start taking over a live connection: HiveMQ drops the old session's subscriptions.
                taken.values().forEach(registry::removeAll);
            }
        }
        SubscriptionStore store = subscriptions.get();
        if (store == null || cleanStart) {
            return;
        }
        store.getSubscriptions(clientId).whenComplete((held, error) -> {
            if (error != null) {
                LOG.warn("region {}: consumer group subscriptions of MQTT session {} not resumed: {}", region, clientId, error.toString());
                return;
            }
            for (TopicSubscription subscription : held) {
                try {
                    MqttTopicFilter filter = MqttTopicFilter.parse(subscription.getTopicFilter());
                    if (filter.shared()) {
                        add(clientId, filter);
                    }
                } catch (IllegalArgumentException e) {
                    LOG.debug("region {}: subscription '{}' of MQTT session {} is not a mesh pattern: {}", region,
                            subscription.getTopicFilter(), clientId, e.getMessage());
                }
            }
        });
    }

    /** Ends every membership: the listener stops. */
    synchronized void clear() {
        byClient.values().forEach(members -> members.values().forEach(registry::removeAll));
        byClient.clear();
        connected.clear();
    }

    private synchronized void add(String clientId, MqttTopicFilter filter) {
        if (!connected.contains(clientId)) {
            LOG.debug("region {}: MQTT client {} disconnected before joining group '{}' with '{}'", region, clientId,
                    filter.group(), filter.filter());
            return;
        }
        Map<String, MqttGroupMember> members = byClient.computeIfAbsent(clientId, id -> new HashMap<>());
        if (members.containsKey(filter.filter())) {
            return; // subscribed again: stays the member it was
        }
        MqttGroupMember member = new MqttGroupMember(region, clientId, filter, publishService::get, this::notSubscribed);
        members.put(filter.filter(), member);
        registry.subscribe(member, filter.pattern(), Selector.ACCEPT_ALL, Optional.of(filter.group()), null);
    }

    private synchronized void notSubscribed(MqttGroupMember member) {
        Map<String, MqttGroupMember> members = byClient.get(member.clientId());
        if (members == null || members.get(member.filter().filter()) != member) {
            return; // left already
        }
        members.remove(member.filter().filter());
        if (members.isEmpty()) {
            byClient.remove(member.clientId());
        }
        registry.removeAll(member);
    }
}
