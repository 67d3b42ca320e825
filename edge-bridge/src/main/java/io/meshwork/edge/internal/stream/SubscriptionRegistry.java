package io.meshwork.edge.internal.stream;

import io.meshwork.core.selector.Selector;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.TopicIndex;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.delivery.DeliveryReadiness;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.group.ConsumerGroup;
import io.meshwork.edge.internal.group.ConsumerGroups;
import io.meshwork.edge.internal.group.GroupKey;
import io.meshwork.core.interest.InterestSink;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The subscriptions held by one edge: which connected subscriber wants which topic pattern,
 * filtered by which selector. Guarded by its own monitor: subscriptions change on client threads
 * while the delivery thread matches events, and both critical sections are short.
 */
public final class SubscriptionRegistry {

    /**
     * One subscriber's wish on one pattern; equal when subscriber and selector text are equal.
     * {@code lane}: the subscription's queue in its connection, {@code null} for a subscriber without lanes.
     */
    private record Wish(Subscriber subscriber, String expression, Selector selector, EgressLane lane) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Wish wish && wish.subscriber.equals(subscriber) && wish.expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return Objects.hash(subscriber, expression);
        }
    }

    /** A (pattern, selector) a subscriber holds. */
    private record Held(TopicPattern pattern, String expression) {
    }

    private final TopicIndex<Wish> index = new TopicIndex<>();
    private final Map<Subscriber, Set<Held>> bySubscriber = new HashMap<>();
    private final InterestSink interest;
    private final DeliveryReadiness readiness;
    private final ConsumerGroups groups;

    /** @param interest told of every subscription added or removed, to record it as interest */
    public SubscriptionRegistry(InterestSink interest) {
        this(interest, DeliveryReadiness.IMMEDIATE);
    }

    /** @param readiness tells when a new subscription's events reach this edge (routed delivery waits for the router) */
    public SubscriptionRegistry(InterestSink interest, DeliveryReadiness readiness) {
        this(interest, readiness, new ConsumerGroups("", ConsumerGroups.DEFAULT_LAG_FRAMES));
    }

    /** @param groups the edge's consumer groups, each held here as one subscriber */
    public SubscriptionRegistry(InterestSink interest, DeliveryReadiness readiness, ConsumerGroups groups) {
        this.interest = interest;
        this.readiness = readiness;
        this.groups = groups;
    }

    /**
     * Completes once the edge delivers the events of a subscription just added: at once in direct
     * delivery, once the router routes for it in routed delivery. Confirm the subscriber then.
     */
    public CompletableFuture<Void> whenDelivering(TopicPattern pattern, String selectorExpression) {
        return readiness.whenDelivering(pattern.value(), selectorExpression == null ? "" : selectorExpression.strip());
    }

    /**
     * As {@link #whenDelivering(TopicPattern, String)}, for a member of {@code group}: also waits
     * until the group's share of events reaches this edge (groups shared across the region's edges).
     */
    public CompletableFuture<Void> whenDelivering(TopicPattern pattern, String selectorExpression, Optional<String> group) {
        CompletableFuture<Void> delivering = whenDelivering(pattern, selectorExpression);
        if (group.isEmpty()) {
            return delivering;
        }
        CompletableFuture<Void> fed;
        synchronized (this) {
            fed = groups.whenDelivering(new GroupKey(group.get(), pattern, selectorExpression == null ? "" : selectorExpression));
        }
        return delivering.thenCombine(fed, (a, b) -> null);
    }

    /** Stops the Kafka feeds of the edge's groups (the edge stops); each leaves its Kafka group on its own thread. */
    public synchronized void closeGroupFeeds() {
        groups.closeFeeds();
    }

    /** Adds an unfiltered subscription; returns false when the subscriber already held it. */
    public boolean subscribe(Subscriber subscriber, TopicPattern pattern) {
        return subscribe(subscriber, pattern, Selector.ACCEPT_ALL);
    }

    /** Adds a subscription; returns false when the subscriber already held the pattern with that selector. */
    public boolean subscribe(Subscriber subscriber, TopicPattern pattern, Selector selector) {
        return subscribe(subscriber, pattern, selector, null);
    }

    /**
     * Adds a subscription whose events go to {@code lane} of the subscriber's queue; returns false
     * when the subscriber already held the pattern with that selector (the earlier lane stays).
     */
    public synchronized boolean subscribe(Subscriber subscriber, TopicPattern pattern, Selector selector, EgressLane lane) {
        String expression = selector.expression().strip();
        boolean added = index.add(pattern, new Wish(subscriber, expression, selector, lane));
        if (added) {
            bySubscriber.computeIfAbsent(subscriber, s -> new HashSet<>()).add(new Held(pattern, expression));
            interest.acquire(pattern.value(), expression);
        }
        return added;
    }

    /**
     * Adds a subscription, as a member of {@code group} when one is given: the group is one
     * subscription of the edge, added with its first member; returns false when the subscriber
     * already held the pattern with that selector (in that group).
     *
     * @param lane the subscription's queue in its connection, {@code null} for a subscriber without lanes
     */
    public synchronized boolean subscribe(Subscriber subscriber, TopicPattern pattern, Selector selector, Optional<String> group,
                                          EgressLane lane) {
        if (group.isEmpty()) {
            return subscribe(subscriber, pattern, selector, lane);
        }
        ConsumerGroups.Joined joined = groups.join(new GroupKey(group.get(), pattern, selector.expression()), subscriber, lane);
        if (joined.first()) {
            if (!groups.fedFromKafka()) {
                // The group delivers to its members' own lanes, so it is registered without one.
                index.add(pattern, new Wish(joined.group(), joined.group().key().expression(), selector, null));
            }
            // Fed from Kafka or not, the group's interest brings its events into the region.
            interest.acquire(pattern.value(), joined.group().key().expression());
        }
        return joined.added();
    }

    /** Removes a subscription, or a membership of {@code group}; returns false when the subscriber did not hold it. */
    public synchronized boolean unsubscribe(Subscriber subscriber, TopicPattern pattern, String selectorExpression,
                                            Optional<String> group) {
        if (group.isEmpty()) {
            return unsubscribe(subscriber, pattern, selectorExpression);
        }
        GroupKey key = new GroupKey(group.get(), pattern, selectorExpression == null ? "" : selectorExpression);
        boolean left = groups.leave(key, subscriber);
        groups.removeIfEmpty(key).ifPresent(emptied -> removeGroup(emptied, false));
        return left;
    }

    /** @param departed the last member's connection ended (its interest departs, see {@link #removeAll}) */
    private void removeGroup(ConsumerGroup group, boolean departed) {
        GroupKey key = group.key();
        index.remove(key.pattern(), new Wish(group, key.expression(), null, null));
        if (departed) {
            interest.depart(key.pattern().value(), key.expression());
        } else {
            interest.release(key.pattern().value(), key.expression());
        }
    }

    /** Removes an unfiltered subscription; returns false when the subscriber did not hold it. */
    public boolean unsubscribe(Subscriber subscriber, TopicPattern pattern) {
        return unsubscribe(subscriber, pattern, "");
    }

    /** Removes a subscription; returns false when the subscriber did not hold the pattern with that selector. */
    public synchronized boolean unsubscribe(Subscriber subscriber, TopicPattern pattern, String selectorExpression) {
        String expression = selectorExpression == null ? "" : selectorExpression.strip();
        boolean removed = index.remove(pattern, new Wish(subscriber, expression, null, null));
        if (removed) {
            Set<Held> held = bySubscriber.get(subscriber);
            held.remove(new Held(pattern, expression));
            if (held.isEmpty()) {
                bySubscriber.remove(subscriber);
            }
            interest.release(pattern.value(), expression);
        }
        return removed;
    }

    /**
     * Removes every subscription of a subscriber that went away. Its interest departs rather than
     * being released ({@link InterestSink#depart}): a client that lost its connection may be back
     * on another edge within the grace period.
     */
    public synchronized void removeAll(Subscriber subscriber) {
        List<GroupKey> memberOf = groups.membershipsOf(subscriber);
        groups.leaveAll(subscriber);
        memberOf.forEach(key -> groups.removeIfEmpty(key).ifPresent(group -> removeGroup(group, true)));
        Set<Held> held = bySubscriber.remove(subscriber);
        if (held != null) {
            held.forEach(h -> {
                index.remove(h.pattern(), new Wish(subscriber, h.expression(), null, null));
                interest.depart(h.pattern().value(), h.expression());
            });
        }
    }

    /**
     * The distinct subscribers of an event, each with the lane of the one subscription the event is
     * queued for: a connection receives an event once however many of its subscriptions match, and
     * the event follows the matching subscription whose policy loses least ({@code disconnect},
     * then {@code drop-oldest}, then {@code conflate}; among equals, the first the index finds).
     *
     * @param event evaluated only if some matching subscription that could win has a selector
     */
    public synchronized Map<Subscriber, EgressLane> targetsFor(TopicName topic, Supplier<SelectorContext> event) {
        Map<Subscriber, EgressLane> targets = new HashMap<>();
        index.forEachMatch(topic, wish -> {
            Subscriber subscriber = wish.subscriber();
            boolean held = targets.containsKey(subscriber);
            if ((!held || losesLess(wish.lane(), targets.get(subscriber)))
                    && (wish.selector() == Selector.ACCEPT_ALL || wish.selector().matches(event.get()))) {
                targets.put(subscriber, wish.lane());
            }
        });
        return targets;
    }

    private static boolean losesLess(EgressLane candidate, EgressLane held) {
        return candidate != null && held != null && rank(candidate.policy()) < rank(held.policy());
    }

    private static int rank(DeliveryPolicy policy) {
        return switch (policy) {
            case DURABLE, DISCONNECT -> 0;
            case DROP_OLDEST -> 1;
            case CONFLATE -> 2;
        };
    }

    /** Whether {@code subscriber} holds at least one subscription. */
    public synchronized boolean holdsAny(Subscriber subscriber) {
        return bySubscriber.containsKey(subscriber) || groups.isMember(subscriber);
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
