package io.meshwork.edge.internal.stream;

import io.meshwork.core.topic.TopicIndex;
import io.meshwork.edge.internal.interest.InterestSink;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The subscriptions held by one edge: which connected subscriber wants which topic pattern.
 * Guarded by its own monitor: subscriptions change on client threads while the delivery thread
 * matches events, and both critical sections are short.
 */
public final class SubscriptionRegistry {

    private final TopicIndex<Subscriber> index = new TopicIndex<>();
    private final Map<Subscriber, Set<TopicPattern>> bySubscriber = new HashMap<>();
    private final InterestSink interest;

    /** @param interest told of every subscription added or removed, to record it as interest */
    public SubscriptionRegistry(InterestSink interest) {
        this.interest = interest;
    }

    /** Adds a subscription; returns false when the subscriber already held the pattern. */
    public synchronized boolean subscribe(Subscriber subscriber, TopicPattern pattern) {
        boolean added = index.add(pattern, subscriber);
        if (added) {
            bySubscriber.computeIfAbsent(subscriber, s -> new HashSet<>()).add(pattern);
            interest.acquire(pattern.value(), "");
        }
        return added;
    }

    /** Removes a subscription; returns false when the subscriber did not hold the pattern. */
    public synchronized boolean unsubscribe(Subscriber subscriber, TopicPattern pattern) {
        boolean removed = index.remove(pattern, subscriber);
        if (removed) {
            Set<TopicPattern> patterns = bySubscriber.get(subscriber);
            patterns.remove(pattern);
            if (patterns.isEmpty()) {
                bySubscriber.remove(subscriber);
            }
            interest.release(pattern.value(), "");
        }
        return removed;
    }

    /** Removes every subscription of a subscriber that went away. */
    public synchronized void removeAll(Subscriber subscriber) {
        Set<TopicPattern> patterns = bySubscriber.remove(subscriber);
        if (patterns != null) {
            patterns.forEach(pattern -> {
                index.remove(pattern, subscriber);
                interest.release(pattern.value(), "");
            });
        }
    }

    /** The distinct subscribers with at least one pattern matching {@code topic}. */
    public synchronized Set<Subscriber> subscribersFor(TopicName topic) {
        return index.match(topic);
    }

    /** Number of distinct topic patterns held. */
    public synchronized int patternCount() {
        return index.patternCount();
    }

    /** Number of subscribers holding at least one subscription. */
    public synchronized int subscriberCount() {
        return bySubscriber.size();
    }
}
