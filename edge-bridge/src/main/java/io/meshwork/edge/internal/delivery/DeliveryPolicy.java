package io.meshwork.edge.internal.delivery;

import java.util.Arrays;
import java.util.Optional;

/**
 * What the edge does with a subscriber that falls behind (DESIGN.md 2.6, {@code delivery_policy}).
 * Every subscriber has a bounded egress queue; the policy decides what happens when it is full.
 */
public enum DeliveryPolicy {
    /** The default: the oldest queued events are dropped, and the loss is told in {@code dropped_before}. */
    DROP_OLDEST("drop-oldest"),
    /** Only the latest queued event per topic is kept. */
    CONFLATE("conflate"),
    /** The subscriber is disconnected, with a reason, past a pending-bytes limit or a write deadline. */
    DISCONNECT("disconnect"),
    /** The subscription reads from its own position in Kafka: nothing is lost. */
    DURABLE("durable");

    private final String wireName;

    DeliveryPolicy(String wireName) {
        this.wireName = wireName;
    }

    /** The name clients send, e.g. {@code drop-oldest}. */
    public String wireName() {
        return wireName;
    }

    /** The policy a client named; the empty string is the default. Empty when the name is unknown. */
    public static Optional<DeliveryPolicy> fromWire(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(DROP_OLDEST);
        }
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }

    /** The names clients may send, for error messages. */
    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(DeliveryPolicy::wireName).toList());
    }
}
