package io.meshwork.core.topic;

import java.util.Arrays;
import java.util.HashSet;
import java.util.function.Consumer;

/**
 * A node of {@link TopicIndex}: the literal children, the {@code +} child, the values of the
 * patterns ending here and the values of the pattern ending in {@code #} here.
 *
 * <p>The layout is chosen for memory, because a large index is mostly leaves with one value and
 * a level nobody else uses. Each field holds the cheapest form of what it holds, growing only
 * when needed:
 * <ul>
 *   <li>the level this node is reached by is kept by the node itself, so that a parent needs no
 *       separate keys: packed into {@link #packedLevel} when it is short and Latin-1 (no
 *       object at all), else as a key in {@link #level} (see {@link Levels});
 *   <li>the literal children are {@code null}, the single child, an exact-size array scanned
 *       linearly (up to {@value #MAX_ARRAY_CHILDREN}), or a {@link ChildTable} for big fan-out,
 *       which turns back into an array once it shrinks to {@value #MIN_TABLE_CHILDREN}
 *       children (the gap avoids converting back and forth at one size);
 *   <li>values are {@code null}, the value itself, or a {@link ValueSet} of two or more.
 * </ul>
 * Reads ({@link #literalChild}, {@link #forEachValue}) never modify anything, so concurrent
 * matching of an index that is no longer mutated is safe.
 */
final class TrieNode<V> {

    static final int MAX_ARRAY_CHILDREN = 8;
    static final int MIN_TABLE_CHILDREN = MAX_ARRAY_CHILDREN / 2;

    /** Two or more values of one pattern; a distinct class, so a value can never be taken for it. */
    static final class ValueSet<V> extends HashSet<V> {
        ValueSet(Object first, V second) {
            super(4);
            add(cast(first));
            add(second);
        }
    }

    /** The level packed, or {@link Levels#NOT_PACKED} (always so for the root and '+' nodes). */
    final long packedLevel;
    /** The level's key if it does not pack, else null. */
    final Object level;
    /** null, a TrieNode, a TrieNode[] of 2 to MAX_ARRAY_CHILDREN, or a ChildTable. */
    private Object children;
    TrieNode<V> singleLevelChild;
    /** null, a V or a ValueSet: values of the patterns ending at this node. */
    private Object exactValues;
    /** null, a V or a ValueSet: values of the pattern ending in '#' below this node. */
    private Object multiLevelValues;

    /** The root or a '+' node, which no level leads to. */
    TrieNode() {
        this(Levels.NOT_PACKED, null);
    }

    private TrieNode(long packedLevel, Object level) {
        this.packedLevel = packedLevel;
        this.level = level;
    }

    // ---- children -------------------------------------------------------------------------

    /**
     * Whether this node is reached by the level {@code text[start, end)}, which packs to
     * {@code packed}. A packed level never equals NOT_PACKED, so it never matches the key of a
     * level that does not pack, nor a '+' node.
     */
    boolean isReachedBy(String text, int start, int end, long packed) {
        return packed != Levels.NOT_PACKED
                ? packedLevel == packed
                : level != null && Levels.matches(level, text, start, end);
    }

    int levelHash() {
        return Levels.hash(packedLevel, level);
    }

    /** The level this node is reached by, for tests and debugging. */
    String levelText() {
        return Levels.text(packedLevel, level);
    }

    /** The literal child for the level {@code text[start, end)}, or null. */
    TrieNode<V> literalChild(String text, int start, int end) {
        Object c = children;
        if (c == null) {
            return null;
        }
        long packed = Levels.pack(text, start, end);
        if (c instanceof TrieNode<?> only) {
            return only.isReachedBy(text, start, end, packed) ? cast(only) : null;
        }
        if (c instanceof TrieNode<?>[] array) {
            for (TrieNode<?> child : array) {
                if (child.isReachedBy(text, start, end, packed)) {
                    return cast(child);
                }
            }
            return null;
        }
        return cast(((ChildTable) c).find(text, start, end, packed));
    }

    /**
     * Adds and returns a literal child for a level no child has yet, given packed, or as a key
     * if it does not pack.
     */
    TrieNode<V> addLiteralChild(long packedLevel, Object level) {
        TrieNode<V> child = new TrieNode<>(packedLevel, level);
        Object c = children;
        if (c == null) {
            children = child;
        } else if (c instanceof TrieNode<?> only) {
            children = new TrieNode<?>[] {only, child};
        } else if (c instanceof TrieNode<?>[] array && array.length < MAX_ARRAY_CHILDREN) {
            TrieNode<?>[] grown = Arrays.copyOf(array, array.length + 1);
            grown[array.length] = child;
            children = grown;
        } else if (c instanceof TrieNode<?>[] array) {
            ChildTable table = new ChildTable(array);
            table.add(child);
            children = table;
        } else {
            ((ChildTable) c).add(child);
        }
        return child;
    }

    /** Removes {@code child}, which must be a literal child of this node. */
    void removeLiteralChild(TrieNode<V> child) {
        Object c = children;
        if (c == child) {
            children = null;
        } else if (c instanceof TrieNode<?>[] array) {
            children = array.length == 2 ? (array[0] == child ? array[1] : array[0]) : without(array, child);
        } else {
            ChildTable table = (ChildTable) c;
            table.remove(child);
            if (table.size() <= MIN_TABLE_CHILDREN) {
                children = table.toArray();
            }
        }
    }

    private static TrieNode<?>[] without(TrieNode<?>[] array, TrieNode<?> child) {
        TrieNode<?>[] shrunk = new TrieNode<?>[array.length - 1];
        int j = 0;
        for (TrieNode<?> each : array) {
            if (each != child) {
                shrunk[j++] = each;
            }
        }
        return shrunk;
    }

    /** How the literal children are held; lets tests check growing and shrinking. */
    String childrenForm() {
        Object c = children;
        return c == null ? "none" : c instanceof TrieNode<?> ? "single"
                : c instanceof TrieNode<?>[] ? "array" : "table";
    }

    boolean isEmpty() {
        return children == null && singleLevelChild == null
                && exactValues == null && multiLevelValues == null;
    }

    int countNodes() {
        int count = 1;
        if (singleLevelChild != null) {
            count += singleLevelChild.countNodes();
        }
        Object c = children;
        if (c instanceof TrieNode<?> only) {
            count += only.countNodes();
        } else if (c != null) {
            TrieNode<?>[] all = c instanceof TrieNode<?>[] array ? array : ((ChildTable) c).toArray();
            for (TrieNode<?> child : all) {
                count += child.countNodes();
            }
        }
        return count;
    }

    // ---- values ---------------------------------------------------------------------------

    boolean hasValues(boolean multiLevel) {
        return (multiLevel ? multiLevelValues : exactValues) != null;
    }

    /** Adds {@code value}; returns false if an equal value is there already (which stays). */
    boolean addValue(boolean multiLevel, V value) {
        Object values = multiLevel ? multiLevelValues : exactValues;
        Object updated;
        if (values == null) {
            updated = value;
        } else if (values instanceof ValueSet<?> set) {
            return TrieNode.<ValueSet<V>>cast(set).add(value);
        } else if (value.equals(values)) {
            return false;
        } else {
            updated = new ValueSet<>(values, value);
        }
        setValues(multiLevel, updated);
        return true;
    }

    /** Removes {@code value}; returns false if it was not there. */
    boolean removeValue(boolean multiLevel, Object value) {
        Object values = multiLevel ? multiLevelValues : exactValues;
        if (values instanceof ValueSet<?> set) {
            if (!set.remove(value)) {
                return false;
            }
            if (set.size() == 1) {
                setValues(multiLevel, set.iterator().next());
            }
            return true;
        }
        if (values == null || !value.equals(values)) {
            return false;
        }
        setValues(multiLevel, null);
        return true;
    }

    private void setValues(boolean multiLevel, Object values) {
        if (multiLevel) {
            multiLevelValues = values;
        } else {
            exactValues = values;
        }
    }

    void forEachValue(boolean multiLevel, Consumer<? super V> action) {
        Object values = multiLevel ? multiLevelValues : exactValues;
        if (values instanceof ValueSet<?> set) {
            TrieNode.<ValueSet<V>>cast(set).forEach(action);
        } else if (values != null) {
            action.accept(cast(values));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
