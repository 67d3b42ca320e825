package io.meshwork.core.interest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition of {@code mesh.deliveries} an edge in routed delivery mode reads: the router
 * writes there a copy of every event one of the edge's subscribers wants.
 *
 * <p>The slot travels in the edge's id ({@code <id>@slot<n>}), the id under which the edge keys
 * its subscriptions and lease on {@code mesh.interest}. So the router learns an edge's slot from
 * the very records that tell it the edge's interest, and the slot is gone when they are: no extra
 * record with a life cycle of its own, and a router that knows nothing of slots reads the ids as
 * before. An id without the tag is an edge in direct mode, which reads all of {@code mesh.events}.
 *
 * @param partition the partition number, 0 or more
 */
public record DeliverySlot(int partition) {

    private static final String TAG = "@slot";

    public DeliverySlot {
        if (partition < 0) {
            throw new IllegalArgumentException("delivery slot must be 0 or more, was " + partition);
        }
    }

    /**
     * The slot an edge gets when none is configured: its id hashed onto the partitions (Kafka's
     * murmur2, as for record keys). Several edges may share a slot; each then skips the copies
     * meant for the others' subscribers, which costs reading them but stays correct.
     */
    public static DeliverySlot hashed(String edgeId, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        return new DeliverySlot(Utils.toPositive(Utils.murmur2(edgeId.getBytes(StandardCharsets.UTF_8))) % partitions);
    }

    /** {@code edgeId} tagged with this slot, e.g. {@code edge-us-east-1-1a2b3c4d@slot3}. */
    public String tag(String edgeId) {
        if (edgeId.contains(TAG)) {
            throw new IllegalArgumentException("edge id '" + edgeId + "' already carries a delivery slot");
        }
        return edgeId + TAG + partition;
    }

    /** The slot an edge id carries; empty for an edge in direct mode (or a malformed tag). */
    public static Optional<DeliverySlot> of(String edgeId) {
        int at = edgeId.lastIndexOf(TAG);
        if (at < 0) {
            return Optional.empty();
        }
        String digits = edgeId.substring(at + TAG.length());
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(new DeliverySlot(Integer.parseInt(digits)));
    }
}
