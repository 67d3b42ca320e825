package io.meshwork.router.interest;

import io.meshwork.core.interest.RouteAdvert;

import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicIndex;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.HashMap;
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

    /** One region's wish; the selector is kept so that selector evaluation can drop events before the WAN. */
    private record Wish(String origin, String selector) {
    }

    private final TopicIndex<Wish> index = new TopicIndex<>();
    private final Map<String, Integer> patternsByOrigin = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Regions (other than this one) with a pattern matching {@code topic}. */
    public Set<String> regionsWanting(TopicName topic) {
        lock.readLock().lock();
        try {
            Set<String> regions = new java.util.HashSet<>();
            index.forEachMatch(topic, wish -> regions.add(wish.origin()));
            return regions;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Applies an advert; returns false if the pattern is invalid and was ignored. */
    public boolean apply(RouteAdvert advert) {
        TopicPattern pattern;
        try {
            pattern = TopicPattern.parse(advert.pattern());
        } catch (InvalidTopicException e) {
            return false;
        }
        lock.writeLock().lock();
        try {
            Wish wish = new Wish(advert.origin(), advert.selector());
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
