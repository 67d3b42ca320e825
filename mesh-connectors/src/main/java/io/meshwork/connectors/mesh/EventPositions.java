package io.meshwork.connectors.mesh;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The source partitions and offsets of {@link MeshSourceTask}: a partition of the region's
 * {@code mesh.events} and the offset of the last event written from it. Keyed by region too, so a
 * connector pointed at another region does not resume at the first region's positions.
 */
final class EventPositions {

    static final String REGION = "region";
    static final String PARTITION = "partition";
    static final String OFFSET = "offset";

    private EventPositions() {
    }

    static Map<String, Object> partition(String region, int partition) {
        return Map.of(REGION, region, PARTITION, partition);
    }

    static Map<String, Object> offset(long offset) {
        return Map.of(OFFSET, offset);
    }

    /** The stored offset, empty when none is stored or it is not a number. */
    static OptionalLong storedOffset(Map<String, Object> stored) {
        return stored != null && stored.get(OFFSET) instanceof Number offset ? OptionalLong.of(offset.longValue()) : OptionalLong.empty();
    }
}
