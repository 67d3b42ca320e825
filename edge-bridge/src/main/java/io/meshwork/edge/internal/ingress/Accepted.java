package io.meshwork.edge.internal.ingress;

import java.util.Objects;

/**
 * A publish Kafka acknowledged.
 *
 * @param eventId           the event's CloudEvents id
 * @param brokerTimestampMs the Kafka record's timestamp, epoch millis
 */
public record Accepted(String eventId, long brokerTimestampMs) {

    public Accepted {
        Objects.requireNonNull(eventId, "eventId");
    }

    /** Epoch seconds, as the seed's example response gives {@code brokerTimestamp}. */
    public long brokerTimestampSeconds() {
        return brokerTimestampMs / 1000;
    }
}
