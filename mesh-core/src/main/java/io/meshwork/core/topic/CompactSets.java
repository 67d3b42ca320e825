package io.meshwork.core.topic;

import java.util.HashSet;
import java.util.Set;

/**
 * Copy-on-grow value sets for {@link TopicIndex}: most patterns carry one value, and a
 * one-element {@code Set.of} costs a fraction of a {@code HashSet} (which needs a map, a table
 * and an entry), which matters at hundreds of thousands of patterns. {@code null} is the empty
 * set; a set of two or more values is a mutable {@code HashSet} owned by the index.
 */
final class CompactSets {

    private CompactSets() {
    }

    /** Returns {@code set} with {@code value} added; the caller has checked it is absent. */
    static <V> Set<V> with(Set<V> set, V value) {
        if (set == null) {
            return Set.of(value);
        }
        Set<V> grown = set instanceof HashSet<V> ? set : new HashSet<>(set);
        grown.add(value);
        return grown;
    }

    /** Returns {@code set} without {@code value}; the caller has checked it is present. */
    static <V> Set<V> without(Set<V> set, V value) {
        if (set.size() == 1) {
            return null;
        }
        set.remove(value);
        return set.size() == 1 ? Set.of(set.iterator().next()) : set;
    }
}
