package io.meshwork.core.interest;

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
public record RouteAdvert(String origin, String pattern, String selector, long seq, boolean active, long advertisedAtMs)
        implements ControlRecord {

    public RouteAdvert {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(pattern, "pattern");
        selector = selector == null ? "" : selector;
    }

    /** Compaction key: one record per (origin, pattern, selector). */
    @Override
    public String key() {
        return key(origin, pattern, selector);
    }

    public static String key(String origin, String pattern, String selector) {
        return origin + "|" + selector.length() + "|" + selector + pattern;
    }

    /** The origin: only it advertises under this advert's key. */
    @Override
    public String issuer() {
        return origin;
    }
}
