package io.meshwork.edge.mqtt.interop;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the suite waits. Positive checks wait on a condition up to {@code delivery} (a mesh
 * delivers through Kafka, and across regions through a WAN link, so this is generous); checks
 * that something is NOT delivered cannot wait on a condition, so they wait a bounded
 * {@code quiet} period, after a marker message sent behind the unwanted one has arrived where the
 * case allows one.
 */
public record Timing(Duration delivery, Duration quiet) {

    /** 30 s to deliver, 3 s of quiet for a negative check. */
    public static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofSeconds(3));

    public Timing {
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(quiet, "quiet");
        if (delivery.isNegative() || delivery.isZero() || quiet.isNegative()) {
            throw new IllegalArgumentException("timing: delivery must be positive and quiet not negative, got " + delivery + " / " + quiet);
        }
    }
}
