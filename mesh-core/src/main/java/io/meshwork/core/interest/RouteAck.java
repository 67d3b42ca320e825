package io.meshwork.core.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * A router's acknowledgement that it applied a region's advert: region {@code acker} now routes
 * events matching the advert's pattern towards {@code origin}. Acks flood back over the links
 * like adverts (newest per key wins), so the origin's edges learn when a subscription is active
 * in every region of the mesh.
 *
 * @param acker     region whose router applied the advert
 * @param advertKey key of the advert acknowledged ({@link RouteAdvert#key()})
 * @param origin    the advert's origin
 * @param seq       the advert's sequence number that was applied
 * @param active    whether the applied advert was active (or a withdrawal)
 */
public record RouteAck(String acker, String advertKey, String origin, long seq, boolean active) {

    /** Keys of acknowledgements on {@code mesh.routes} start with this. */
    public static final String KEY_PREFIX = "ack|";

    private static final ObjectMapper JSON = new ObjectMapper();

    public RouteAck {
        Objects.requireNonNull(acker, "acker");
        Objects.requireNonNull(advertKey, "advertKey");
        Objects.requireNonNull(origin, "origin");
    }

    /** The acknowledgement of {@code advert} by {@code acker}. */
    public static RouteAck of(String acker, RouteAdvert advert) {
        return new RouteAck(acker, advert.key(), advert.origin(), advert.seq(), advert.active());
    }

    /** Compaction key: one record per (acker, advert key). */
    public String key() {
        return KEY_PREFIX + acker + "|" + advertKey;
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("kind", "ack").put("acker", acker)
                    .put("advertKey", advertKey).put("origin", origin).put("seq", seq).put("active", active));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode route ack", e);
        }
    }

    /** @throws IllegalArgumentException if {@code bytes} is not an acknowledgement */
    public static RouteAck decode(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (!"ack".equals(node.path("kind").asText())) {
                throw new IllegalArgumentException("not an ack");
            }
            return new RouteAck(node.path("acker").asText(null), node.path("advertKey").asText(null),
                    node.path("origin").asText(null), node.path("seq").asLong(-1), node.path("active").asBoolean(false));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a route ack: " + e.getMessage(), e);
        }
    }
}
