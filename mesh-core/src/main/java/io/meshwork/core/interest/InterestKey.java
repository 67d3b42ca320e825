package io.meshwork.core.interest;

import java.util.Objects;

/**
 * Key of a record on the compacted {@code mesh.interest} topic: either one subscription of one
 * edge ({@code pattern} set) or the edge's lease ({@code pattern == null}).
 *
 * <p>Encoded as {@code sub|<edge>|<selector length>|<selector><pattern>} or {@code lease|<edge>},
 * so that compaction keeps exactly one record per (edge, pattern, selector).
 *
 * @param edgeId   the edge instance that holds the subscription
 * @param pattern  the topic pattern, or {@code null} for the lease key
 * @param selector the selector, empty for none; ignored for the lease key
 */
public record InterestKey(String edgeId, String pattern, String selector) {

    public InterestKey {
        Objects.requireNonNull(edgeId, "edgeId");
        if (edgeId.isBlank() || edgeId.contains("|")) {
            throw new IllegalArgumentException("edge id must be non-blank and free of '|': '" + edgeId + "'");
        }
        selector = selector == null ? "" : selector;
    }

    /** The key of one subscription. */
    public static InterestKey subscription(String edgeId, String pattern, String selector) {
        return new InterestKey(edgeId, Objects.requireNonNull(pattern, "pattern"), selector);
    }

    /** The key of an edge's lease. */
    public static InterestKey lease(String edgeId) {
        return new InterestKey(edgeId, null, "");
    }

    public boolean isLease() {
        return pattern == null;
    }

    public String encode() {
        return isLease() ? "lease|" + edgeId : "sub|" + edgeId + "|" + selector.length() + "|" + selector + pattern;
    }

    /** @throws IllegalArgumentException if {@code encoded} is not an interest key */
    public static InterestKey decode(String encoded) {
        if (encoded == null) {
            throw new IllegalArgumentException("interest key is missing");
        }
        if (encoded.startsWith("lease|")) {
            return lease(encoded.substring("lease|".length()));
        }
        if (encoded.startsWith("sub|")) {
            int edgeEnd = encoded.indexOf('|', 4);
            int lengthEnd = edgeEnd < 0 ? -1 : encoded.indexOf('|', edgeEnd + 1);
            if (lengthEnd > 0) {
                try {
                    int selectorLength = Integer.parseInt(encoded.substring(edgeEnd + 1, lengthEnd));
                    int selectorEnd = lengthEnd + 1 + selectorLength;
                    if (selectorLength >= 0 && selectorEnd < encoded.length()) {
                        return subscription(encoded.substring(4, edgeEnd), encoded.substring(selectorEnd),
                                encoded.substring(lengthEnd + 1, selectorEnd));
                    }
                } catch (NumberFormatException e) {
                    // fall through to the error below
                }
            }
        }
        throw new IllegalArgumentException("not an interest key: '" + encoded + "'");
    }
}
