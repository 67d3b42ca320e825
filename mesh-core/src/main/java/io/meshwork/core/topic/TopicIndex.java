package io.meshwork.core.topic;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps topic patterns to values (subscriptions, regions, ...) and finds the values of every
 * pattern that matches a topic, without scanning the patterns.
 *
 * <p>The index is a trie over topic levels: each node has literal children, a {@code +} child,
 * the values of the patterns ending at the node and the values of the pattern ending in
 * {@code #} at the node. Matching a topic of {@code n} levels visits at most the nodes reachable
 * through its literal levels and {@code +} children, whatever the number of patterns. Matching
 * follows {@link TopicPattern#matches(TopicName)} exactly: {@code sport/#} matches
 * {@code sport}, and patterns starting with a wildcard do not match system ({@code $}) topics.
 *
 * <p>Each pattern holds a set of values: adding the same (pattern, value) pair twice keeps one.
 * Values must not be null and need proper {@code equals}/{@code hashCode}.
 *
 * <p><b>Not thread-safe.</b> Callers either guard every access with one lock, or build an index,
 * stop mutating it and publish it to readers safely (e.g. through a {@code volatile} field),
 * replacing it with a new one on change. Concurrent {@code match} calls on an index that is no
 * longer mutated are safe.
 *
 * @param <V> the type of values attached to patterns
 */
public final class TopicIndex<V> {

    private final Node<V> root = new Node<>();
    private int patternCount;

    /** Creates an empty index. */
    public TopicIndex() {
    }

    /**
     * Attaches {@code value} to {@code pattern}.
     *
     * @param pattern the pattern
     * @param value the value, not null
     * @return true if the pair was not in the index before
     */
    public boolean add(TopicPattern pattern, V value) {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(value, "value");
        String[] levels = pattern.levelArray();
        boolean multiLevel = endsWithMultiLevel(levels);
        Node<V> node = root;
        for (int i = 0, end = pathLength(levels, multiLevel); i < end; i++) {
            node = node.childOrCreate(levels[i]);
        }
        Set<V> values = node.values(multiLevel);
        if (values != null && values.contains(value)) {
            return false;
        }
        if (values == null) {
            patternCount++;
        }
        node.setValues(multiLevel, CompactSets.with(values, value));
        return true;
    }

    /**
     * Detaches {@code value} from {@code pattern}; nodes left without patterns are pruned.
     *
     * @param pattern the pattern
     * @param value the value
     * @return true if the pair was in the index
     */
    public boolean remove(TopicPattern pattern, V value) {
        Objects.requireNonNull(pattern, "pattern");
        if (value == null) {
            return false;
        }
        String[] levels = pattern.levelArray();
        boolean multiLevel = endsWithMultiLevel(levels);
        return remove(root, levels, 0, pathLength(levels, multiLevel), multiLevel, value);
    }

    /**
     * The distinct values of all patterns matching {@code topic}.
     *
     * @param topic the topic
     * @return a new set owned by the caller, empty if nothing matches
     */
    public Set<V> match(TopicName topic) {
        Set<V> result = new HashSet<>();
        forEachMatch(topic, result::add);
        return result;
    }

    /**
     * Hands the values of all patterns matching {@code topic} to {@code action}, without
     * building a set. The action is called once per matching (pattern, value) pair, so a value
     * attached to several matching patterns is passed several times, in no defined order.
     * The action must not modify this index.
     *
     * @param topic the topic
     * @param action receives the values
     */
    public void forEachMatch(TopicName topic, Consumer<? super V> action) {
        Objects.requireNonNull(action, "action");
        collect(root, TopicSyntax.split(topic.value()), 0, topic.isSystemTopic(), action);
    }

    /**
     * The number of distinct patterns with at least one value.
     *
     * @return the pattern count
     */
    public int patternCount() {
        return patternCount;
    }

    /**
     * Whether the index holds no pattern.
     *
     * @return true if {@link #patternCount()} is 0
     */
    public boolean isEmpty() {
        return patternCount == 0;
    }

    /** Number of trie nodes including the root; lets tests verify pruning. */
    int nodeCount() {
        return root.countNodes();
    }

    private boolean remove(Node<V> node, String[] levels, int depth, int end, boolean multiLevel,
            V value) {
        if (depth == end) {
            Set<V> values = node.values(multiLevel);
            if (values == null || !values.contains(value)) {
                return false;
            }
            Set<V> remaining = CompactSets.without(values, value);
            node.setValues(multiLevel, remaining);
            if (remaining == null) {
                patternCount--;
            }
            return true;
        }
        Node<V> child = node.child(levels[depth]);
        if (child == null || !remove(child, levels, depth + 1, end, multiLevel, value)) {
            return false;
        }
        if (child.isEmpty()) {
            node.removeChild(levels[depth]);
        }
        return true;
    }

    private void collect(Node<V> node, String[] levels, int depth, boolean systemTopic,
            Consumer<? super V> action) {
        // MQTT: a wildcard in the first level must not match a topic starting with '$'.
        boolean wildcards = depth > 0 || !systemTopic;
        if (wildcards && node.multiLevelValues != null) {
            // '#' also matches the parent level, so it fires even when the topic ends here.
            node.multiLevelValues.forEach(action);
        }
        if (depth == levels.length) {
            if (node.exactValues != null) {
                node.exactValues.forEach(action);
            }
            return;
        }
        Node<V> literal = node.literalChild(levels[depth]);
        if (literal != null) {
            collect(literal, levels, depth + 1, systemTopic, action);
        }
        if (wildcards && node.singleLevelChild != null) {
            collect(node.singleLevelChild, levels, depth + 1, systemTopic, action);
        }
    }

    private static boolean endsWithMultiLevel(String[] levels) {
        return levels[levels.length - 1].equals(TopicSyntax.MULTI_LEVEL);
    }

    /** The levels that are trie edges: all but a trailing '#', which is stored in its parent. */
    private static int pathLength(String[] levels, boolean multiLevel) {
        return multiLevel ? levels.length - 1 : levels.length;
    }

    /** Fields stay null until needed: most nodes of a large index are leaves with one value. */
    private static final class Node<V> {
        private Map<String, Node<V>> literalChildren;
        private Node<V> singleLevelChild;
        private Set<V> exactValues;
        private Set<V> multiLevelValues;

        Node<V> literalChild(String level) {
            return literalChildren == null ? null : literalChildren.get(level);
        }

        Node<V> child(String level) {
            return level.equals(TopicSyntax.SINGLE_LEVEL) ? singleLevelChild : literalChild(level);
        }

        Node<V> childOrCreate(String level) {
            if (level.equals(TopicSyntax.SINGLE_LEVEL)) {
                if (singleLevelChild == null) {
                    singleLevelChild = new Node<>();
                }
                return singleLevelChild;
            }
            if (literalChildren == null) {
                // Small start: most interior nodes have few children.
                literalChildren = new HashMap<>(2);
            }
            return literalChildren.computeIfAbsent(level, l -> new Node<>());
        }

        void removeChild(String level) {
            if (level.equals(TopicSyntax.SINGLE_LEVEL)) {
                singleLevelChild = null;
            } else if (literalChildren != null) {
                literalChildren.remove(level);
                if (literalChildren.isEmpty()) {
                    literalChildren = null;
                }
            }
        }

        Set<V> values(boolean multiLevel) {
            return multiLevel ? multiLevelValues : exactValues;
        }

        void setValues(boolean multiLevel, Set<V> values) {
            if (multiLevel) {
                multiLevelValues = values;
            } else {
                exactValues = values;
            }
        }

        boolean isEmpty() {
            return literalChildren == null && singleLevelChild == null
                    && exactValues == null && multiLevelValues == null;
        }

        int countNodes() {
            int count = 1;
            if (singleLevelChild != null) {
                count += singleLevelChild.countNodes();
            }
            if (literalChildren != null) {
                for (Node<V> child : literalChildren.values()) {
                    count += child.countNodes();
                }
            }
            return count;
        }
    }
}
