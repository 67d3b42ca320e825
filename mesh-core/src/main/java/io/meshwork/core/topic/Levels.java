package io.meshwork.core.topic;

import java.nio.charset.StandardCharsets;

/**
 * How {@link TrieNode}s hold the level they are reached by, and how a level given as a region
 * {@code text[start, end)} of a topic is compared and hashed against it, so that matching never
 * cuts the topic into substrings.
 *
 * <p>Most levels are short and Latin-1 ({@code orders}, {@code r12}, {@code c48213},
 * {@code billing}): up to {@value #MAX_PACKED_CHARS} such chars are <em>packed</em> into a
 * {@code long}, one byte per char, first char in the low byte, which a node stores inline. A
 * packed level costs no object at all (a {@code String} costs 48 bytes for a short level), and
 * comparing it is one {@code long} comparison with no pointer to follow. The packing is
 * unambiguous because U+0000 cannot occur in a topic or pattern, so unused bytes are zero.
 * Other levels are kept as a <em>key</em>: the chars as a {@code byte[]} when all are Latin-1,
 * else the level {@code String}.
 */
final class Levels {

    static final int MAX_PACKED_CHARS = 8;

    /** Not a packed level: a zero byte followed by a non-zero one would be a U+0000 char. */
    static final long NOT_PACKED = Long.MIN_VALUE;

    private Levels() {
    }

    /** The level {@code text[start, end)} packed, or {@link #NOT_PACKED}. */
    static long pack(String text, int start, int end) {
        if (end - start > MAX_PACKED_CHARS) {
            return NOT_PACKED;
        }
        long packed = 0;
        for (int i = end - 1; i >= start; i--) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                return NOT_PACKED;
            }
            packed = packed << 8 | c;
        }
        return packed;
    }

    /** The key of a level that does not pack. */
    static Object key(String level) {
        byte[] bytes = new byte[level.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = level.charAt(i);
            if (c > 0xFF) {
                return level;
            }
            bytes[i] = (byte) c;
        }
        return bytes;
    }

    /** Whether {@code key} holds exactly the chars {@code text[start, end)}. */
    static boolean matches(Object key, String text, int start, int end) {
        if (key instanceof byte[] bytes) {
            if (bytes.length != end - start) {
                return false;
            }
            for (int i = 0; i < bytes.length; i++) {
                if ((bytes[i] & 0xFF) != text.charAt(start + i)) {
                    return false;
                }
            }
            return true;
        }
        String level = (String) key;
        return level.length() == end - start && text.startsWith(level, start);
    }

    /**
     * The hash of a level, the same whichever way it is given: {@code packed} if it packs (then
     * {@code text} is not read), else the string hash of {@code text[start, end)}.
     */
    static int hash(long packed, String text, int start, int end) {
        if (packed != NOT_PACKED) {
            return hash(packed);
        }
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    /** The hash of a level held as {@code packed}, or as {@code key} if that is NOT_PACKED. */
    static int hash(long packed, Object key) {
        if (packed != NOT_PACKED) {
            return hash(packed);
        }
        if (key instanceof byte[] bytes) {
            int h = 0;
            for (byte b : bytes) {
                h = 31 * h + (b & 0xFF);
            }
            return h;
        }
        return key.hashCode();
    }

    // Every byte of the level reaches the high half of the product.
    private static int hash(long packed) {
        return (int) (packed * 0x9E3779B97F4A7C15L >>> 32);
    }

    /** The level held as {@code packed}, or as {@code key} if that is NOT_PACKED; for tests. */
    static String text(long packed, Object key) {
        if (packed == NOT_PACKED) {
            return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1) : (String) key;
        }
        StringBuilder sb = new StringBuilder();
        for (long rest = packed; rest != 0; rest >>>= 8) {
            sb.append((char) (rest & 0xFF));
        }
        return sb.toString();
    }
}
