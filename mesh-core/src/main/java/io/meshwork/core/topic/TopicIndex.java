package io.meshwork.core.topic;

import java.util.HashSet;
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
 * Matching walks the topic string in place and allocates nothing but what the action does.
 * Nodes are laid out compactly (see {@link TrieNode}): in mesh-bench, 500k subscription-like
 * patterns take about 100 bytes each, their {@code Integer} values included.
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

    /** Slots of {@link #recentKeys}, a power of two. */
    private static final int RECENT_KEYS = 256;

    private final TrieNode<V> root = new TrieNode<>();
    /**
     * The keys of long levels created last, by hash: a lossy cache so that the many nodes of a
     * recurring level (the {@code notifications} below every customer's node) share one key
     * instead of holding a copy each. A miss costs only a copy; at most {@value #RECENT_KEYS}
     * keys are kept. Short levels need no key, they are packed into their node, so an index of
     * short levels never creates the cache.
     */
    private Object[] recentKeys;
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
        TrieNode<V> node = root;
        for (int i = 0, end = pathLength(levels, multiLevel); i < end; i++) {
            node = childOrCreate(node, levels[i]);
        }
        boolean newPattern = !node.hasValues(multiLevel);
        if (!node.addValue(multiLevel, value)) {
            return false;
        }
        if (newPattern) {
            patternCount++;
        }
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
        collect(root, topic.value(), 0, topic.isSystemTopic(), action);
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

    /** The node reached from the root through the levels of {@code path}, or null; for tests. */
    TrieNode<V> node(String path) {
        TrieNode<V> node = root;
        for (String level : TopicSyntax.split(path)) {
            node = node == null ? null : child(node, level);
        }
        return node;
    }

    private boolean remove(TrieNode<V> node, String[] levels, int depth, int end, boolean multiLevel,
            V value) {
        if (depth == end) {
            if (!node.removeValue(multiLevel, value)) {
                return false;
            }
            if (!node.hasValues(multiLevel)) {
                patternCount--;
            }
            return true;
        }
        TrieNode<V> child = child(node, levels[depth]);
        if (child == null || !remove(child, levels, depth + 1, end, multiLevel, value)) {
            return false;
        }
        if (child.isEmpty()) {
            if (child == node.singleLevelChild) {
                node.singleLevelChild = null;
            } else {
                node.removeLiteralChild(child);
            }
        }
        return true;
    }

    /**
     * Hands over the values of the patterns below {@code node} matching the topic from the level
     * starting at {@code start}; {@code start > topic.length()} means the topic is used up.
     * Levels are delimited in place, so no substring or level array is ever built. The literal
     * child is followed in the loop, the '+' child by recursion: the depth of the recursion is
     * bounded by the number of '+' levels matched, at most {@value TopicName#MAX_LEVELS}.
     */
    private void collect(TrieNode<V> node, String topic, int start, boolean systemTopic,
            Consumer<? super V> action) {
        while (true) {
            // MQTT: a wildcard in the first level must not match a topic starting with '$'.
            boolean wildcards = start > 0 || !systemTopic;
            if (wildcards) {
                // '#' also matches the parent level, so it fires even when the topic ends here.
                node.forEachValue(true, action);
            }
            if (start > topic.length()) {
                node.forEachValue(false, action);
                return;
            }
            int end = topic.indexOf(TopicSyntax.SEPARATOR, start);
            if (end < 0) {
                end = topic.length();
            }
            if (wildcards && node.singleLevelChild != null) {
                collect(node.singleLevelChild, topic, end + 1, systemTopic, action);
            }
            node = node.literalChild(topic, start, end);
            if (node == null) {
                return;
            }
            start = end + 1;
        }
    }

    private static <V> TrieNode<V> child(TrieNode<V> node, String level) {
        return level.equals(TopicSyntax.SINGLE_LEVEL)
                ? node.singleLevelChild : node.literalChild(level, 0, level.length());
    }

    private TrieNode<V> childOrCreate(TrieNode<V> node, String level) {
        if (level.equals(TopicSyntax.SINGLE_LEVEL)) {
            if (node.singleLevelChild == null) {
                node.singleLevelChild = new TrieNode<>();
            }
            return node.singleLevelChild;
        }
        TrieNode<V> child = node.literalChild(level, 0, level.length());
        if (child != null) {
            return child;
        }
        long packed = Levels.pack(level, 0, level.length());
        return node.addLiteralChild(packed, packed == Levels.NOT_PACKED ? key(level) : null);
    }

    private Object key(String level) {
        if (recentKeys == null) {
            recentKeys = new Object[RECENT_KEYS];
        }
        int slot = level.hashCode() & (RECENT_KEYS - 1);
        Object recent = recentKeys[slot];
        if (recent != null && Levels.matches(recent, level, 0, level.length())) {
            return recent;
        }
        Object key = Levels.key(level);
        recentKeys[slot] = key;
        return key;
    }

    private static boolean endsWithMultiLevel(String[] levels) {
        return levels[levels.length - 1].equals(TopicSyntax.MULTI_LEVEL);
    }

    /** The levels that are trie edges: all but a trailing '#', which is stored in its parent. */
    private static int pathLength(String[] levels, boolean multiLevel) {
        return multiLevel ? levels.length - 1 : levels.length;
    }
}
