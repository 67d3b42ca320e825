package io.meshwork.edge.internal.durable;

import java.util.Arrays;

/**
 * Counts, from the records of {@code mesh.events} read between two cuts, the events a non-durable
 * subscription missed while it moved from a failed edge: for each partition, the records from the
 * position its resume token names up to (not including) where the new edge's delivery started for
 * it. Reading is bounded: once {@code maxRecords} are read, what is left unread counts as its
 * offsets' difference, every record as if it matched, so the result is exact or an upper bound,
 * never an under-count. Single-threaded.
 */
final class GapTally {

    /**
     * What to tell the client.
     *
     * @param missed events missed: exact when {@code exact}, otherwise an upper bound
     * @param read   records read to count them
     */
    record Result(long missed, boolean exact, long read) {

        Result {
            if (missed < 0 || read < 0) {
                throw new IllegalArgumentException("negative gap " + missed + " or records read " + read);
            }
        }
    }

    private final long[] to;
    private final long[] position;
    private final long maxRecords;
    private long matched;
    private long read;

    /**
     * @param from       the token's next offset per partition (index = partition; a partition added
     *                   after the token was issued from its log start, as {@link DurableStarts} gives)
     * @param to         the live start per partition: the first offset the new edge delivers
     * @param maxRecords records read at most
     */
    GapTally(long[] from, long[] to, long maxRecords) {
        if (to.length != from.length) {
            throw new IllegalArgumentException("the live start covers " + to.length + " partitions, the token " + from.length);
        }
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords " + maxRecords);
        }
        this.to = to.clone();
        this.position = new long[to.length];
        for (int partition = 0; partition < to.length; partition++) {
            // A token ahead of the new edge (its delivery lags the old one's): nothing missed there.
            position[partition] = Math.min(from[partition], to[partition]);
        }
        this.maxRecords = maxRecords;
    }

    /** The next offset to read in {@code partition}. */
    long position(int partition) {
        return position[partition];
    }

    /** Partitions with records left to count. */
    int[] pending() {
        return java.util.stream.IntStream.range(0, to.length).filter(p -> position[p] < to[p]).toArray();
    }

    /** Records one record read; those at or after the live start are not part of the gap. */
    void record(int partition, long offset, boolean matches) {
        if (offset < position[partition] || offset >= to[partition] || isBounded()) {
            return;
        }
        read++;
        if (matches) {
            matched++;
        }
        position[partition] = offset + 1;
    }

    /**
     * The reader's position after a whole batch: offsets without a record (transaction markers,
     * aborted records) are passed without counting.
     */
    void reached(int partition, long next) {
        if (!isBounded()) {
            position[partition] = Math.max(position[partition], Math.min(next, to[partition]));
        }
    }

    /** Whether every partition was read up to its live start. */
    boolean isComplete() {
        return pending().length == 0;
    }

    /** Whether the reading bound is reached. */
    boolean isBounded() {
        return read >= maxRecords;
    }

    /** The gap as far as counted: matches, plus the offsets left unread as an upper bound. */
    Result result() {
        long unread = 0;
        for (int partition = 0; partition < to.length; partition++) {
            unread += Math.max(0, to[partition] - position[partition]);
        }
        return new Result(matched + unread, unread == 0, read);
    }

    @Override
    public String toString() {
        return "GapTally[position=" + Arrays.toString(position) + ", to=" + Arrays.toString(to) + ", matched=" + matched
                + ", read=" + read + "]";
    }
}
