package io.meshwork.edge.internal.durable;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where the edge's shared delivery of {@code mesh.events} stands: for every partition, the offset
 * after the last record it handled. Its delivery thread writes it, before it looks up the record's
 * subscribers, so a subscription registered at any moment sees a cut at or past the last record it
 * was not offered: counting its failover gap up to the cut never leaves a missed event out (at most
 * the one record in flight is both counted and delivered).
 */
public final class DeliveryCut {

    private final ResumeTokens tokens;
    private volatile AtomicLongArray next;
    // The delivery thread's own copy, for the token of each delivered event.
    private long[] owned;

    DeliveryCut(ResumeTokens tokens) {
        this.tokens = tokens;
    }

    /** The delivery thread is positioned at {@code positions} (index = partition of {@code mesh.events}). */
    public void start(long[] positions) {
        owned = positions.clone();
        next = new AtomicLongArray(positions);
    }

    /** The delivery thread is about to handle {@code offset} of {@code partition}. */
    public void handled(int partition, long offset) {
        owned[partition] = offset + 1;
        next.set(partition, offset + 1);
    }

    /** The token of the cut right after the record last handled; delivery thread only. */
    public String token() {
        return tokens.encode(new ResumePosition(owned));
    }

    /** Whether the delivery is positioned (its first positions are known). */
    boolean isStarted() {
        return next != null;
    }

    /** The cut now, from any thread. */
    long[] snapshot() {
        AtomicLongArray current = next;
        long[] copy = new long[current.length()];
        for (int partition = 0; partition < copy.length; partition++) {
            copy[partition] = current.get(partition);
        }
        return copy;
    }
}
