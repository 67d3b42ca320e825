package io.meshwork.core.interest;

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
public record RouteAck(String acker, String advertKey, String origin, long seq, boolean active) implements ControlRecord {

    /** Keys of acknowledgements on {@code mesh.routes} start with this. */
    public static final String KEY_PREFIX = "ack|";

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
    @Override
    public String key() {
        return KEY_PREFIX + acker + "|" + advertKey;
    }

    /** The acker: only it acknowledges under this ack's key. */
    @Override
    public String issuer() {
        return acker;
    }
}
