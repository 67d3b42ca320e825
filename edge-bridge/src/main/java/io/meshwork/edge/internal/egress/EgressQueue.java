package io.meshwork.edge.internal.egress;

import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The bounded egress queue of one subscriber connection (a WebSocket, a gRPC stream): what the
 * delivery thread has handed to the connection and the client has not yet taken. Each
 * subscription of the connection queues its events in its own {@link EgressLane}; the connection
 * takes frames in the order they were offered, across lanes and control frames.
 *
 * <p>The bound, in events and in bytes, is the connection's (so a client cannot multiply the
 * edge's memory by subscribing more). When an event does not fit, the policy of the subscription
 * it arrived for decides, and only that subscription's events are touched:
 * <ul>
 *   <li>{@code drop-oldest}: the lane's oldest events are dropped until the connection fits (the
 *       new event itself when the lane holds nothing older);</li>
 *   <li>{@code conflate}: a queued event of the same topic is replaced in place, keeping its turn,
 *       so the lane holds the latest event per topic; beyond the bound, as drop-oldest;</li>
 *   <li>{@code disconnect}: nothing is dropped; the connection must be disconnected, also when the
 *       lane's oldest event has waited past the write deadline.</li>
 * </ul>
 * Every drop is counted in the lane and reported as the {@code dropped_before} of the lane's next
 * delivered event. Control frames are never dropped and not counted against the bound: a client
 * causes at most one per request.
 *
 * <p>Thread-safe: the delivery thread offers, the connection's writer polls, each under this
 * queue's monitor for a few field updates.
 */
public final class EgressQueue {

    private final int maxMessages;
    private final long maxBytes;
    private final long deadlineNanos;
    private final EgressListener listener;
    private final List<EgressLane> lanes = new ArrayList<>(1);
    private final ArrayDeque<EgressEntry> controls = new ArrayDeque<>();
    private long seq;
    // Read without the monitor by metrics.
    private volatile int messages;
    private volatile long bytes;

    public EgressQueue(SubscriberQueueSettings limits, EgressListener listener) {
        this.maxMessages = limits.maxMessages();
        this.maxBytes = limits.maxBytes();
        this.deadlineNanos = limits.writeDeadline().toNanos();
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A lane for a new subscription of this connection. */
    public synchronized EgressLane open(DeliveryPolicy policy, String pattern) {
        EgressLane lane = new EgressLane(policy, pattern);
        lanes.add(lane);
        return lane;
    }

    /**
     * Keeps {@code lane}'s events from {@link #poll} (they still count against the bound) until
     * {@link #release}: a subscription resumed after a failover must tell its gap on its first delivery.
     */
    public synchronized void hold(EgressLane lane) {
        lane.held = true;
    }

    /**
     * Lets a held lane's events go, the first of them carrying {@code missed} events in its
     * {@code dropped_before} (with whatever the lane dropped meanwhile).
     *
     * @param exact whether {@code missed} was counted exactly, or includes an upper bound
     */
    public synchronized void release(EgressLane lane, long missed, boolean exact) {
        lane.held = false;
        if (missed > 0) {
            lane.droppedSinceDelivery += missed;
            listener.failoverGap(lane, missed, exact);
        }
    }

    /** The subscription ended; its events already queued are still delivered. */
    public synchronized void close(EgressLane lane) {
        lane.closed = true;
        lane.held = false; // an unsubscribe does not wait for the gap count
        if (lane.entries.isEmpty()) {
            lanes.remove(lane);
        }
    }

    /**
     * The subscription was cut (its client may no longer receive it): its events still queued are
     * dropped, not delivered, and the lane removed.
     *
     * @return the events dropped, for the caller to count: this is not a delivery policy's loss
     */
    public synchronized int discard(EgressLane lane) {
        int dropped = 0;
        for (EgressEntry entry; (entry = lane.entries.pollFirst()) != null; dropped++) {
            remove(lane, entry);
        }
        lane.closed = true;
        lane.discarded = true;
        lanes.remove(lane);
        return dropped;
    }

    /** As {@link #offer(EgressLane, OutboundEvent, String, int, long)} at the current time (read for {@code disconnect} lanes only). */
    public String offer(EgressLane lane, OutboundEvent event, String topic, int bytes) {
        return offer(lane, event, topic, bytes, lane.policy() == DeliveryPolicy.DISCONNECT ? System.nanoTime() : 0);
    }

    /**
     * Queues an event of {@code lane}'s subscription, dropping what its policy drops.
     *
     * @param bytes     the event's size as the connection writes it
     * @param nowNanos  {@link System#nanoTime()}, read only for {@code disconnect} lanes
     * @return {@code null} when queued (possibly after drops); otherwise why the connection must
     *         be disconnected, with nothing queued
     */
    public synchronized String offer(EgressLane lane, OutboundEvent event, String topic, int bytes, long nowNanos) {
        if (lane.discarded) {
            return null; // handed over by the delivery thread just as the subscription was cut
        }
        switch (lane.policy()) {
            case DISCONNECT -> {
                EgressEntry oldest = lane.entries.peekFirst();
                if (oldest != null && nowNanos - oldest.enqueuedNanos > deadlineNanos) {
                    return "write deadline: an event waited more than " + deadlineNanos / 1_000_000 + " ms unwritten";
                }
                if (messages + 1 > maxMessages) {
                    return "more than " + maxMessages + " events pending";
                }
                if (this.bytes + bytes > maxBytes) {
                    return "more than " + maxBytes + " bytes pending";
                }
                append(lane, event, topic, bytes, nowNanos);
            }
            case CONFLATE -> {
                EgressEntry queued = lane.byTopic.get(topic);
                if (queued != null) {
                    this.bytes += bytes - queued.bytes;
                    queued.frame = event;
                    queued.bytes = bytes;
                    drop(lane, 1);
                } else {
                    lane.byTopic.put(topic, append(lane, event, topic, bytes, nowNanos));
                }
                trim(lane);
            }
            default -> {
                append(lane, event, topic, bytes, nowNanos);
                trim(lane);
            }
        }
        return null;
    }

    /**
     * Drops the events queued as control frames (durable deliveries) that {@code cut} selects: a
     * durable subscription was cut and its client may no longer receive them.
     *
     * @return the events dropped
     */
    public synchronized int discardControls(Predicate<EventEnvelope> cut) {
        int before = controls.size();
        controls.removeIf(entry -> !entry.frame.envelope().hasControl() && cut.test(entry.frame.envelope()));
        return before - controls.size();
    }

    /** Queues a control frame (a confirmation, an error): never dropped, not counted against the bound. */
    public synchronized void offerControl(OutboundEvent frame) {
        controls.addLast(new EgressEntry(seq++, null, frame, null, 0, 0));
    }

    /**
     * Takes the next frame to write, in offer order across lanes; an event carries the drops of its
     * lane since the lane's previous delivery. {@code null} when nothing is queued.
     */
    public synchronized EgressEntry poll() {
        EgressEntry next = controls.peekFirst();
        EgressLane from = null;
        for (int i = 0; i < lanes.size(); i++) {
            EgressLane lane = lanes.get(i);
            EgressEntry head = lane.entries.peekFirst();
            if (head != null && !lane.held && (next == null || head.seq < next.seq)) {
                next = head;
                from = lane;
            }
        }
        if (next == null) {
            return null;
        }
        if (from == null) {
            return controls.pollFirst();
        }
        remove(from, from.entries.pollFirst());
        next.droppedBefore = from.droppedSinceDelivery;
        from.droppedSinceDelivery = 0;
        if (from.entries.isEmpty()) {
            if (from.inEpisode()) {
                listener.caughtUp(from, from.droppedInEpisode);
                from.droppedInEpisode = 0;
            }
            if (from.closed) {
                lanes.remove(from);
            }
        }
        return next;
    }

    /** Whether nothing is queued that {@link #poll} would take (held lanes wait for their release). */
    public synchronized boolean isEmpty() {
        return controls.isEmpty() && (messages == 0 || onlyHeld());
    }

    private boolean onlyHeld() {
        for (EgressLane lane : lanes) {
            if (!lane.held && !lane.entries.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Drops everything queued, without counting it as loss: the connection is going away. */
    public synchronized void clear() {
        controls.clear();
        for (EgressLane lane : lanes) {
            lane.entries.clear();
            if (lane.byTopic != null) {
                lane.byTopic.clear();
            }
        }
        lanes.removeIf(lane -> lane.closed);
        messages = 0;
        bytes = 0;
    }

    /** Frames queued, events and control frames (durable deliveries travel as the latter). */
    public synchronized int frames() {
        return controls.size() + messages;
    }

    /** Events queued. */
    public int messages() {
        return messages;
    }

    /**
     * Bytes of events queued, as of the last completed offer or poll: under the lock, because an
     * offer appends before it trims, and a reader between the two would see the bound exceeded.
     */
    public synchronized long bytes() {
        return bytes;
    }

    /** Whether some subscription of this connection is losing events and has not caught up. */
    public synchronized boolean isDropping() {
        for (EgressLane lane : lanes) {
            if (lane.inEpisode()) {
                return true;
            }
        }
        return false;
    }

    private EgressEntry append(EgressLane lane, OutboundEvent event, String topic, int size, long nowNanos) {
        EgressEntry entry = new EgressEntry(seq++, lane, event, topic, size, nowNanos);
        lane.entries.addLast(entry);
        messages++;
        bytes += size;
        return entry;
    }

    // Only the arriving lane gives way: another subscription's events are never dropped for it.
    private void trim(EgressLane lane) {
        int dropped = 0;
        while ((messages > maxMessages || bytes > maxBytes) && !lane.entries.isEmpty()) {
            remove(lane, lane.entries.pollFirst());
            dropped++;
        }
        if (dropped > 0) {
            drop(lane, dropped);
        }
    }

    private void remove(EgressLane lane, EgressEntry entry) {
        messages--;
        bytes -= entry.bytes;
        if (lane.byTopic != null) {
            lane.byTopic.remove(entry.topic, entry);
        }
    }

    private void drop(EgressLane lane, int events) {
        boolean started = !lane.inEpisode();
        lane.droppedSinceDelivery += events;
        lane.droppedInEpisode += events;
        listener.dropped(lane, events, started);
    }
}
