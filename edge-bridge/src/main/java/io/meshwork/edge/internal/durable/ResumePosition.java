package io.meshwork.edge.internal.durable;

import java.util.Arrays;

/**
 * Where a durable subscription resumes: for every partition of {@code mesh.events}, the offset of
 * the first record it has not yet processed (delivered, or skipped as not matching). Everything
 * before it, in every partition, was handled, nothing at or after it was; so resuming there gives
 * every event exactly once, whichever partitions the events were spread over.
 */
record ResumePosition(long[] offsets) {

    ResumePosition {
        if (offsets.length == 0) {
            throw new IllegalArgumentException("a position needs at least one partition");
        }
        for (long offset : offsets) {
            if (offset < 0) {
                throw new IllegalArgumentException("negative offset in " + Arrays.toString(offsets));
            }
        }
        offsets = offsets.clone();
    }

    /** Number of partitions the position covers (partitions 0..n-1). */
    int partitions() {
        return offsets.length;
    }

    /** The next offset to process in {@code partition}. */
    long offset(int partition) {
        return offsets[partition];
    }

    @Override
    public long[] offsets() {
        return offsets.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResumePosition position && Arrays.equals(position.offsets, offsets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(offsets);
    }

    @Override
    public String toString() {
        return "ResumePosition" + Arrays.toString(offsets);
    }
}
