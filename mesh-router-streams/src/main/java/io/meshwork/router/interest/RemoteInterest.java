package io.meshwork.router.interest;

import io.meshwork.core.interest.RouteAdvert;

import io.meshwork.core.selector.InvalidSelectorException;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicIndex;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Which other regions want which topics: the matching index over every remote region's
 * advertised patterns (a trie, never a linear scan). Written by the global-store thread as
 * adverts arrive, read by the stream thread for every event, hence the read-write lock.
 */
public final class RemoteInterest {

    /**
     * One region's wish. The compiled selector lets the router drop an event before the WAN when
     * no selector of the region accepts it; identity is (origin, selector text).
     */
    private record Wish(String origin, String expression, Selector selector) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Wish wish && wish.origin.equals(origin) && wish.expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return Objects.hash(origin, expression);
        }
    }

    private final TopicIndex<Wish> index = new TopicIndex<>();
    private final Map<String, Integer> patternsByOrigin = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Regions (other than this one) with a pattern matching {@code topic}, whatever their selectors. */
    public Set<String> regionsWanting(TopicName topic) {
        return regionsWanting(topic, null);
    }

    /**
     * Regions (other than this one) with a pattern matching {@code topic} whose selector accepts
     * the event.
     *
     * @param event what selectors see of the event, built only if a selector asks; {@code null}
     *              to ignore selectors
     */
    public Set<String> regionsWanting(TopicName topic, Supplier<SelectorContext> event) {
        lock.readLock().lock();
        try {
            Set<String> regions = new HashSet<>();
            index.forEachMatch(topic, wish -> {
                if (!regions.contains(wish.origin())
                        && (event == null || wish.selector() == Selector.ACCEPT_ALL || wish.selector().matches(event.get()))) {
                    regions.add(wish.origin());
                }
            });
            return regions;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies an advert; returns false if its pattern or selector is invalid and it was ignored. */
    public boolean apply(RouteAdvert advert) {
        TopicPattern pattern;
        Selector selector;
        try {
            pattern = TopicPattern.parse(advert.pattern());
            selector = advert.active() ? Selector.parse(advert.selector()) : null;
        } catch (InvalidTopicException | InvalidSelectorException e) {
            return false;
        }
        lock.writeLock().lock();
        try {
            Wish wish = new Wish(advert.origin(), advert.selector(), selector);
            if (advert.active()) {
                if (index.add(pattern, wish)) {
                    patternsByOrigin.merge(advert.origin(), 1, Integer::sum);
                }
            } else if (index.remove(pattern, wish)) {
                patternsByOrigin.computeIfPresent(advert.origin(), (origin, count) -> count == 1 ? null : count - 1);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Number of patterns {@code origin} currently advertises. */
    public int patternCount(String origin) {
        lock.readLock().lock();
        try {
            return patternsByOrigin.getOrDefault(origin, 0);
        } finally {
            lock.readLock().unlock();
        }
    }
}
