package io.meshwork.router.delivery;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * An event bound for {@code mesh.deliveries}: its bytes as they came, and the slots (partitions)
 * that get a copy. Carrying the slots in the value lets one forward reach the sink, whose
 * {@link #PARTITIONER} multicasts it, one copy per slot, in the task's transaction.
 *
 * @param value the event's record value, unchanged
 * @param slots the partitions to write to, at least one
 */
record SlotCopy(byte[] value, Set<Integer> slots) {

    SlotCopy {
        Objects.requireNonNull(slots, "slots");
        if (slots.isEmpty()) {
            throw new IllegalArgumentException("a slot copy goes to at least one slot");
        }
        slots = Set.copyOf(slots);
    }

    /** Writes the event's bytes; the slots are only for the partitioner. */
    static final Serializer<SlotCopy> SERIALIZER = (topic, copy) -> copy == null ? null : copy.value();

    /**
     * One partition per slot. A slot beyond the topic's partitions (an edge that started against a
     * topic since recreated smaller) is dropped rather than failing the task.
     */
    static final StreamPartitioner<String, SlotCopy> PARTITIONER = (topic, key, copy, partitions) ->
            Optional.of(copy.slots().stream().filter(slot -> slot < partitions).collect(Collectors.toSet()));
}
