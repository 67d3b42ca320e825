package io.meshwork.edge.internal.mqtt;

import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which MQTT sessions hold which topic filters, folded into the edge's subscription registry.
 *
 * <p>The whole MQTT listener is one {@link Subscriber} in the registry: HiveMQ fans each event
 * out to its clients itself (and does overlap deduplication). So the registry holds a pattern for
 * as long as at least one session holds a filter standing for it; this class counts the sessions
 * per pattern. Shared subscriptions are not counted here: they are consumer group members
 * ({@link MqttGroupMembers}).
 *
 * <p>Synchronized: sessions change on HiveMQ's threads; the registry has its own short lock and
 * never calls back here, so the nesting cannot deadlock.
 */
final class MqttInterest {

    private final SubscriptionRegistry registry;
    private final Subscriber subscriber;
    private final Map<String, Map<String, TopicPattern>> filtersByClient = new HashMap<>();
    private final Map<TopicPattern, Integer> holders = new HashMap<>();

    MqttInterest(SubscriptionRegistry registry, Subscriber subscriber) {
        this.registry = registry;
        this.subscriber = subscriber;
    }

    /** Records that {@code clientId}'s session holds {@code filter}; subscribing again changes nothing. */
    synchronized void add(String clientId, MqttTopicFilter filter) {
        Map<String, TopicPattern> filters = filtersByClient.computeIfAbsent(clientId, id -> new HashMap<>());
        if (filters.putIfAbsent(filter.filter(), filter.pattern()) == null && holders.merge(filter.pattern(), 1, Integer::sum) == 1) {
            registry.subscribe(subscriber, filter.pattern());
        }
    }

    /** Completes once the edge delivers {@code pattern}'s events (see {@link SubscriptionRegistry#whenDelivering}). */
    CompletableFuture<Void> whenDelivering(TopicPattern pattern) {
        return registry.whenDelivering(pattern, "");
    }

    /** Records that {@code clientId}'s session no longer holds {@code filter}. */
    synchronized void remove(String clientId, String filter) {
        Map<String, TopicPattern> filters = filtersByClient.get(clientId);
        if (filters == null) {
            return;
        }
        TopicPattern pattern = filters.remove(filter);
        if (filters.isEmpty()) {
            filtersByClient.remove(clientId);
        }
        if (pattern != null) {
            release(pattern);
        }
    }

    /** Forgets every filter of a session that ended. */
    synchronized void removeSession(String clientId) {
        Map<String, TopicPattern> filters = filtersByClient.remove(clientId);
        if (filters != null) {
            filters.values().forEach(this::release);
        }
    }

    /** Forgets everything: the listener stops. */
    synchronized void clear() {
        filtersByClient.clear();
        holders.clear();
        registry.removeAll(subscriber);
    }

    /** Number of filters {@code clientId}'s session holds. */
    synchronized int filterCount(String clientId) {
        Map<String, TopicPattern> filters = filtersByClient.get(clientId);
        return filters == null ? 0 : filters.size();
    }

    private void release(TopicPattern pattern) {
        if (holders.merge(pattern, -1, Integer::sum) == 0) {
            holders.remove(pattern);
            registry.unsubscribe(subscriber, pattern);
        }
    }
}
