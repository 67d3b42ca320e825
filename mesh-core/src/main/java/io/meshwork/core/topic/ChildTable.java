package io.meshwork.core.topic;

/**
 * The literal children of a {@link TrieNode} with a big fan-out: an open-addressing hash table
 * of the child nodes themselves, keyed by the level each child is reached by
 * ({@link TrieNode#isReachedBy}, {@link TrieNode#levelHash}).
 *
 * <p>A {@code HashMap} spends a 32-byte entry and a key object per child; here a child costs
 * only its slots (4 bytes each with compressed references, kept at most half full so that a
 * miss, the common case of a non-matching topic, ends after about two probes). Linear probing
 * with backward-shift deletion needs no tombstones, so lookups stay short after removals.
 */
final class ChildTable {

    private static final int MIN_CAPACITY = 16;

    private TrieNode<?>[] slots;
    private int size;

    /** A table holding {@code children}, which have distinct levels. */
    ChildTable(TrieNode<?>[] children) {
        slots = new TrieNode<?>[capacityFor(children.length + 1)];
        for (TrieNode<?> child : children) {
            insert(slots, child);
        }
        size = children.length;
    }

    int size() {
        return size;
    }

    /** Number of slots; lets tests check that the table shrinks. */
    int capacity() {
        return slots.length;
    }

    /** The child whose level is {@code text[start, end)}, which packs to {@code packed}, or null. */
    TrieNode<?> find(String text, int start, int end, long packed) {
        TrieNode<?>[] table = slots;
        int mask = table.length - 1;
        for (int i = spread(Levels.hash(packed, text, start, end)) & mask; ; i = (i + 1) & mask) {
            TrieNode<?> child = table[i];
            if (child == null || child.isReachedBy(text, start, end, packed)) {
                return child;
            }
        }
    }

    /** Adds {@code child}, whose level no child has yet. */
    void add(TrieNode<?> child) {
        if (2 * (size + 1) > slots.length) {
            rehash(slots.length * 2);
        }
        insert(slots, child);
        size++;
    }

    /** Removes {@code child}, which must be in the table. */
    void remove(TrieNode<?> child) {
        TrieNode<?>[] table = slots;
        int mask = table.length - 1;
        int hole = spread(child.levelHash()) & mask;
        while (table[hole] != child) {
            hole = (hole + 1) & mask;
        }
        table[hole] = null;
        size--;
        // Backward shift: move up every later entry of the run that may no longer be reachable.
        for (int i = (hole + 1) & mask; table[i] != null; i = (i + 1) & mask) {
            int home = spread(table[i].levelHash()) & mask;
            // The entry at i stays only if its home lies cyclically in (hole, i].
            boolean reachable = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!reachable) {
                table[hole] = table[i];
                table[i] = null;
                hole = i;
            }
        }
        if (size * 8 < table.length && table.length > MIN_CAPACITY) {
            rehash(table.length / 2);
        }
    }

    /** The children, in no particular order. */
    TrieNode<?>[] toArray() {
        TrieNode<?>[] children = new TrieNode<?>[size];
        int j = 0;
        for (TrieNode<?> child : slots) {
            if (child != null) {
                children[j++] = child;
            }
        }
        return children;
    }

    private void rehash(int capacity) {
        TrieNode<?>[] table = new TrieNode<?>[capacity];
        for (TrieNode<?> child : slots) {
            if (child != null) {
                insert(table, child);
            }
        }
        slots = table;
    }

    private static void insert(TrieNode<?>[] table, TrieNode<?> child) {
        int mask = table.length - 1;
        int i = spread(child.levelHash()) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = child;
    }

    private static int capacityFor(int children) {
        int capacity = MIN_CAPACITY;
        while (capacity < 2 * children) {
            capacity *= 2;
        }
        return capacity;
    }

    /**
     * Similar levels ({@code c1}, {@code c2}, ...) have consecutive string hashes, which would
     * fill adjacent slots into long probe runs; a multiplicative hash scatters them.
     */
    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
