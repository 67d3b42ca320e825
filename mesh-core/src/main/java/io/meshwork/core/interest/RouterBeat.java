package io.meshwork.core.interest;

import java.util.Objects;

/**
 * A sign of life from one router instance of region {@code origin}. Every instance sends one each
 * heartbeat interval, whatever tasks it runs, so a neighbour keeps hearing the region while the
 * task that sends the region's {@link LinkState} moves from one instance to another (an instance
 * joins, leaves or dies). Unlike the other kinds, a beat is never flooded: it means something only
 * to the neighbour that receives it straight over its link.
 *
 * @param origin   the region whose router sent it
 * @param instance the sending instance, for diagnostics
 * @param sentAtMs when it was sent (epoch millis); doubles as the sequence number
 */
public record RouterBeat(String origin, String instance, long sentAtMs) implements ControlRecord {

    /** Keys of beats on {@code mesh.routes} start with this: one key per region, so compaction keeps one. */
    public static final String KEY_PREFIX = "beat|";

    public RouterBeat {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(instance, "instance");
    }

    @Override
    public String key() {
        return KEY_PREFIX + origin;
    }

    @Override
    public String issuer() {
        return origin;
    }

    @Override
    public long seq() {
        return sentAtMs;
    }
}
