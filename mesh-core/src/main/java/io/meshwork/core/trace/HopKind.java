package io.meshwork.core.trace;

/** What a node did with a sampled event at one hop. */
public enum HopKind {
    /** The origin edge accepted the event (Kafka acknowledged it). */
    PUBLISH,
    /** A router sent the event towards other regions (at the origin, or in transit). */
    FORWARD,
    /** A destination region's router received the event over a link. */
    ARRIVAL,
    /** An edge handed the event to its local subscribers. */
    DELIVERY
}
