package io.meshwork.edge.internal.egress;

import io.meshwork.edge.internal.stream.OutboundEvent;

/**
 * A frame waiting in an {@link EgressQueue}. Mutable so that conflation replaces a queued event
 * in place, keeping its turn. Handed out by {@link EgressQueue#poll()}, after which the queue no
 * longer touches it.
 */
public final class EgressEntry {

    final long seq;
    final EgressLane lane;
    final long enqueuedNanos;
    final String topic;
    OutboundEvent frame;
    int bytes;
    long droppedBefore;

    EgressEntry(long seq, EgressLane lane, OutboundEvent frame, String topic, int bytes, long enqueuedNanos) {
        this.seq = seq;
        this.topic = topic;
        this.lane = lane;
        this.frame = frame;
        this.bytes = bytes;
        this.enqueuedNanos = enqueuedNanos;
    }

    /** The event or control frame to write. */
    public OutboundEvent frame() {
        return frame;
    }

    /** Events of this entry's subscription dropped since its previous delivery: its {@code dropped_before}. */
    public long droppedBefore() {
        return droppedBefore;
    }

    /** Whether this is a control frame rather than an event of a subscription. */
    public boolean isControl() {
        return lane == null;
    }
}
