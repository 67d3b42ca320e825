package io.meshwork.core.interest;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The router's word, written into an edge's slot of {@code mesh.deliveries}, that it routes for
 * one of the edge's subscriptions: it has applied the {@code mesh.interest} record at
 * {@code interestOffset} (or a later one) for {@code subscription}. Every event the router reads
 * after writing the marker is copied to the slot if it matches, so the edge may confirm a
 * subscriber once the marker for the offset of its own interest write has come back.
 *
 * <p>On Kafka: key = the subscription's {@link InterestKey}, value = the offset (8 bytes), header
 * {@value #HEADER} marking the record as a marker, not an event.
 *
 * @param subscription   the (edge, pattern, selector) routed for
 * @param interestOffset offset of the {@code mesh.interest} record the router applied
 */
public record DeliveryMarker(InterestKey subscription, long interestOffset) {

    /** Header that marks a record of {@code mesh.deliveries} as a marker. */
    public static final String HEADER = "mesh_delivery_marker";

    public DeliveryMarker {
        Objects.requireNonNull(subscription, "subscription");
        if (subscription.isLease()) {
            throw new IllegalArgumentException("a delivery marker names a subscription, not a lease: " + subscription.encode());
        }
        if (interestOffset < 0) {
            throw new IllegalArgumentException("interest offset must be 0 or more, was " + interestOffset);
        }
    }

    /** Whether the record with these headers is a marker (else it is an event copy). */
    public static boolean isMarker(Headers headers) {
        return headers.lastHeader(HEADER) != null;
    }

    /** The value to write. */
    public byte[] encodeValue() {
        return ByteBuffer.allocate(Long.BYTES).putLong(interestOffset).array();
    }

    /** The marker a record holds, or empty when it is no marker or a malformed one. */
    public static Optional<DeliveryMarker> read(String key, Headers headers, byte[] value) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || value == null || value.length != Long.BYTES) {
            return Optional.empty();
        }
        try {
            InterestKey subscription = InterestKey.decode(key);
            return subscription.isLease() ? Optional.empty()
                    : Optional.of(new DeliveryMarker(subscription, ByteBuffer.wrap(value).getLong()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
