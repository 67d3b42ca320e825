package io.meshwork.core.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;

/**
 * One region's advertisement that it wants (or no longer wants) a topic pattern, on the
 * compacted control topic {@code mesh.routes}. Routers flood adverts to their neighbours; the
 * per-origin sequence number decides, so an old advert arriving late over another path never
 * overwrites a newer one.
 *
 * @param origin         region whose edges hold the subscription
 * @param pattern        topic pattern (MQTT syntax)
 * @param selector       selector, "" for none
 * @param seq            origin's sequence number; higher wins
 * @param active         false once the origin withdrew the interest
 * @param advertisedAtMs when the origin issued the advert, for propagation-time measurement
 */
public record RouteAdvert(String origin, String pattern, String selector, long seq, boolean active, long advertisedAtMs) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String KIND = "advert";

    public RouteAdvert {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(pattern, "pattern");
        selector = selector == null ? "" : selector;
    }

    /** Compaction key: one record per (origin, pattern, selector). */
    public String key() {
        return key(origin, pattern, selector);
    }

    public static String key(String origin, String pattern, String selector) {
        return origin + "|" + selector.length() + "|" + selector + pattern;
    }

    /** Whether this advert supersedes {@code other} for the same key. */
    public boolean isNewerThan(RouteAdvert other) {
        return other == null || seq > other.seq;
    }

    public byte[] encode() {
        ObjectNode node = JSON.createObjectNode()
                .put("kind", KIND)
                .put("origin", origin).put("pattern", pattern).put("selector", selector)
                .put("seq", seq).put("active", active).put("advertisedAtMs", advertisedAtMs);
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode route advert", e);
        }
    }

    /** Whether {@code key} (of a record on {@code mesh.routes}) is an advert's key, not an acknowledgement's or a link state's. */
    public static boolean isAdvertKey(String key) {
        return key != null && !key.startsWith(RouteAck.KEY_PREFIX) && !key.startsWith(LinkState.KEY_PREFIX);
    }

    /** @throws IllegalArgumentException if {@code bytes} is not an advert */
    public static RouteAdvert decode(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node.has("kind") && !KIND.equals(node.get("kind").asText())) {
                throw new IllegalArgumentException("record of kind '" + node.get("kind").asText() + "'");
            }
            return new RouteAdvert(text(node, "origin"), text(node, "pattern"), text(node, "selector"),
                    node.path("seq").asLong(-1), node.path("active").asBoolean(false), node.path("advertisedAtMs").asLong(0));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a route advert: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("route advert lacks '" + field + "'");
        }
        return value.textValue();
    }
}
