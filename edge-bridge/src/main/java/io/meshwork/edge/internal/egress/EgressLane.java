package io.meshwork.edge.internal.egress;

import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One subscription's share of its connection's {@link EgressQueue}: its queued events, its
 * delivery policy, and the events it lost since its previous delivery. Guarded by the queue's
 * monitor; only {@link EgressQueue} changes it.
 */
public final class EgressLane {

    private final DeliveryPolicy policy;
    private final String pattern;
    final ArrayDeque<EgressEntry> entries = new ArrayDeque<>();
    // Conflate only: the queued entry of each topic, replaced in place by a newer event.
    final Map<String, EgressEntry> byTopic;
    long droppedSinceDelivery;
    long droppedInEpisode;
    boolean closed;
    // Events wait while the gap before the subscription's first delivery is counted (failover resume).
    boolean held;
    // Cut (its client may no longer receive it): an event the delivery thread still offers is not queued.
    boolean discarded;

    EgressLane(DeliveryPolicy policy, String pattern) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.byTopic = policy == DeliveryPolicy.CONFLATE ? new HashMap<>() : null;
    }

    /** The subscription's delivery policy. */
    public DeliveryPolicy policy() {
        return policy;
    }

    /** The subscription's topic pattern, for logs. */
    public String pattern() {
        return pattern;
    }

    /** Whether this lane is in a drop episode: it lost events and has not caught up since. */
    boolean inEpisode() {
        return droppedInEpisode > 0;
    }

    @Override
    public String toString() {
        return pattern + " (" + policy.wireName() + ")";
    }
}
