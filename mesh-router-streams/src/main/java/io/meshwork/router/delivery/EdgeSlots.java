package io.meshwork.router.delivery;

import io.meshwork.core.interest.DeliverySlot;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.selector.InvalidSelectorException;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicIndex;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.HashSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Which delivery slots want which topics: this region's subscriptions of edges in routed mode,
 * indexed by pattern (a trie, as {@code RemoteInterest} does for regions), each with the slot of
 * its edge and its compiled selector. Written by the thread following {@code mesh.interest},
 * read by the stream thread for every event, hence the read-write lock.
 *
 * <p>Edges in direct mode (no slot in their id) are ignored: they read all of {@code mesh.events}.
 */
public final class EdgeSlots {

    /** One edge's wish; identity is (edge, selector text), so two edges of one slot are two wishes. */
    private record Wish(String edgeId, int slot, String expression, Selector selector) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Wish wish && wish.edgeId.equals(edgeId) && wish.expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return Objects.hash(edgeId, expression);
        }
    }

    private final TopicIndex<Wish> index = new TopicIndex<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile boolean empty = true;

    /**
     * Applies one subscription record of {@code mesh.interest}.
     *
     * @param present false for a tombstone (the edge unsubscribed, or its lease ran out)
     * @return the slot the subscription is now routed to, when it was added (or was already
     *         there) for an edge in routed mode; empty for a removal, a lease, an edge in direct
     *         mode, or an invalid pattern or selector (which the edge never writes)
     */
    public OptionalInt apply(InterestKey key, boolean present) {
        if (key.isLease()) {
            return OptionalInt.empty();
        }
        var slot = DeliverySlot.of(key.edgeId());
        if (slot.isEmpty()) {
            return OptionalInt.empty();
        }
        TopicPattern pattern;
        Selector selector;
        try {
            pattern = TopicPattern.parse(key.pattern());
            selector = present ? Selector.parse(key.selector()) : null;
        } catch (InvalidTopicException | InvalidSelectorException e) {
            return OptionalInt.empty();
        }
        Wish wish = new Wish(key.edgeId(), slot.get().partition(), key.selector(), selector);
        lock.writeLock().lock();
        try {
            if (present) {
                index.add(pattern, wish);
            } else {
                index.remove(pattern, wish);
            }
            empty = index.isEmpty();
        } finally {
            lock.writeLock().unlock();
        }
        return present ? OptionalInt.of(wish.slot()) : OptionalInt.empty();
    }

    /** Whether no edge in routed mode holds a subscription: then no event is copied. */
    public boolean isEmpty() {
        return empty;
    }

    /**
     * The slots with a subscription whose pattern matches {@code topic} and whose selector
     * accepts the event.
     *
     * @param event what selectors see of the event, built only if a selector asks
     */
    public Set<Integer> slotsFor(TopicName topic, Supplier<SelectorContext> event) {
        lock.readLock().lock();
        try {
            Set<Integer> slots = new HashSet<>();
            index.forEachMatch(topic, wish -> {
                if (!slots.contains(wish.slot())
                        && (wish.selector() == Selector.ACCEPT_ALL || wish.selector().matches(event.get()))) {
                    slots.add(wish.slot());
                }
            });
            return slots;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of distinct patterns held by edges in routed mode. */
    public int patternCount() {
        lock.readLock().lock();
        try {
            return index.patternCount();
        } finally {
            lock.readLock().unlock();
        }
    }
}
