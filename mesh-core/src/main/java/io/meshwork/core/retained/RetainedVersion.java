package io.meshwork.core.retained;

import java.util.Comparator;
import java.util.Objects;

/**
 * Which of two retained records of one mesh topic wins, the same in every region: the later
 * {@code at}, then the greater origin region (by name), then, within one origin, the later
 * {@code seq}. A deletion is a record too and wins or loses by the same rule, so an older write
 * that arrives late cannot bring a deleted message back.
 *
 * @param at     epoch millis at which the origin region's {@code mesh.retained} appended the record
 *               (the broker's clock: {@code LogAppendTime})
 * @param origin the region whose edge accepted the retained publish
 * @param seq    the record's offset in the origin's {@code mesh.retained}: breaks ties within one millisecond
 */
public record RetainedVersion(long at, String origin, long seq) implements Comparable<RetainedVersion> {

    private static final Comparator<RetainedVersion> ORDER = Comparator.comparingLong(RetainedVersion::at)
            .thenComparing(RetainedVersion::origin)
            .thenComparingLong(RetainedVersion::seq);

    public RetainedVersion {
        Objects.requireNonNull(origin, "origin");
        if (origin.isBlank()) {
            throw new IllegalArgumentException("retained version: origin region must not be blank");
        }
        if (at < 0) {
            throw new IllegalArgumentException("retained version of " + origin + ": time must not be negative, was " + at);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("retained version of " + origin + ": sequence must not be negative, was " + seq);
        }
    }

    /** Whether this version replaces {@code other}; {@code null} (nothing known yet) is always replaced. */
    public boolean supersedes(RetainedVersion other) {
        return other == null || compareTo(other) > 0;
    }

    @Override
    public int compareTo(RetainedVersion other) {
        return ORDER.compare(this, other);
    }
}
