package io.meshwork.edge;

import io.meshwork.core.config.InvalidSettingException;

/**
 * How an edge gets its region's events (docs/ARCHITECTURE.md, "How a region scales", Edges).
 *
 * @param mode      {@link Mode#DIRECT} or {@link Mode#ROUTED} ({@code edge.delivery.mode})
 * @param partition in routed mode, the slot (partition of {@code mesh.deliveries}) the edge
 *                  reads; {@link #HASHED} derives it from the edge's id. Set it to give each edge
 *                  of a region a slot of its own ({@code edge.delivery.partition})
 */
public record EdgeDelivery(Mode mode, int partition) {

    /** How the edge reads. */
    public enum Mode {
        /**
         * Reads all of {@code mesh.events} and matches every event against its subscribers: the
         * lowest latency, and nothing to set up; each edge pays for the whole region's traffic.
         */
        DIRECT,
        /**
         * Reads only its slot of {@code mesh.deliveries}, where the region's router copies the
         * events its subscribers want: an edge's work follows its own subscribers, so a region
         * scales by adding edges. Costs one router commit of latency.
         */
        ROUTED
    }

    /** {@link #partition} value: the slot is the edge id's hash modulo the partitions. */
    public static final int HASHED = -1;

    /** The default: direct. */
    public static final EdgeDelivery DIRECT = new EdgeDelivery(Mode.DIRECT, HASHED);

    public EdgeDelivery {
        if (mode == null) {
            throw InvalidSettingException.invalid(EdgeKeys.DELIVERY_MODE, null, "must be direct or routed");
        }
        if (partition < HASHED) {
            throw InvalidSettingException.invalid(EdgeKeys.DELIVERY_PARTITION, partition,
                    "must be 0 or more (or unset for a slot derived from the edge id)");
        }
        if (mode == Mode.DIRECT && partition != HASHED) {
            throw InvalidSettingException.invalid(EdgeKeys.DELIVERY_PARTITION, partition,
                    "only an edge with edge.delivery.mode=routed reads a delivery partition");
        }
    }

    /** Routed, with the slot derived from the edge's id. */
    public static EdgeDelivery routed() {
        return new EdgeDelivery(Mode.ROUTED, HASHED);
    }

    /** Routed, reading slot {@code partition}. */
    public static EdgeDelivery routed(int partition) {
        if (partition < 0) {
            throw InvalidSettingException.invalid(EdgeKeys.DELIVERY_PARTITION, partition, "must be 0 or more");
        }
        return new EdgeDelivery(Mode.ROUTED, partition);
    }

    /** Whether the edge reads a slot of {@code mesh.deliveries}. */
    public boolean isRouted() {
        return mode == Mode.ROUTED;
    }
}
