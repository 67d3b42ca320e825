package io.meshwork.core.kafka;

import java.util.Objects;

/**
 * The Kafka topics every regional cluster holds (DESIGN.md 2.2, a contract): independent
 * clients produce to and consume from these names, so they never change.
 */
public final class MeshKafkaTopics {

    /** Every event published in, or delivered to, this region. */
    public static final String EVENTS = "mesh.events";

    /** Compacted: the active subscriptions of this region's edges. */
    public static final String INTEREST = "mesh.interest";

    /** Prefix of the per-neighbour WAN spool topics; see {@link #link(String)}. */
    public static final String LINK_PREFIX = "mesh.link.";

    private MeshKafkaTopics() {
    }

    /** The topic holding data events bound for {@code neighbourRegion}, e.g. {@code mesh.link.eu-west-1}. */
    public static String link(String neighbourRegion) {
        Objects.requireNonNull(neighbourRegion, "neighbourRegion");
        if (neighbourRegion.isBlank()) {
            throw new IllegalArgumentException("neighbour region must not be blank");
        }
        return LINK_PREFIX + neighbourRegion;
    }
}
