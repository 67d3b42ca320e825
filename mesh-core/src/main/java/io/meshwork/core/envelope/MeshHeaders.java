package io.meshwork.core.envelope;

/**
 * Names of the mesh's own attributes on the wire (DESIGN.md 2.1).
 *
 * <p>The mesh topic is a CloudEvents extension, so it belongs to the event and every binding
 * carries it ({@code ce_meshtopic} on Kafka, {@code ce-meshtopic} on HTTP). Routing bookkeeping
 * changes at every hop and is not part of the event a publisher sent, so it travels in plain
 * Kafka headers beside the CloudEvents ones. {@link MeshHeaderCodec} reads and writes them.
 */
public final class MeshHeaders {

    /** CloudEvents extension attribute holding the mesh topic. */
    public static final String MESH_TOPIC_EXTENSION = "meshtopic";

    /** Kafka header: region where the event was published. */
    public static final String ORIGIN = "mesh_origin";

    /** Kafka header: comma-separated broker ids the event has entered, origin first. */
    public static final String PATH = "mesh_path";

    /** Kafka header: remaining hop budget, decimal. */
    public static final String HOPS = "mesh_hops";

    /** Kafka header on link records: comma-separated regions this copy is destined for. */
    public static final String DESTINATIONS = "mesh_dest";

    /**
     * Kafka header on {@code mesh.events}: set by the router on events that arrived from another
     * region (value: the neighbour they came from), so they are delivered locally but never
     * forwarded again as if published here.
     */
    public static final String ARRIVED_FROM = "mesh_arrived_from";

    /** Kafka header on {@code mesh.dlq}: why the record is not a valid mesh event (or control record). */
    public static final String DLQ_REASON = "mesh_dlq_reason";

    /** Kafka header on {@code mesh.dlq}: the header or field at fault. */
    public static final String DLQ_FIELD = "mesh_dlq_field";

    /**
     * Kafka header on link records: for each destination of the copy, the event's number in the
     * origin's stream towards it on this link partition ({@code <region>=<n>,...}), so the
     * destination can keep the origin's order across path changes.
     */
    public static final String SEQUENCE = "mesh_seq";

    /**
     * Kafka header on arrivals: the record's offset in the sending region's spool
     * ({@code mesh.link.<region>}), stamped by the link as it crosses. The receiving router
     * reports how far it got, so the sender knows its spool's lag and where a re-send starts.
     */
    public static final String LINK_OFFSET = "mesh_link_offset";

    /**
     * Kafka header on control records relayed over a link: the link's round-trip time as the
     * control channel last measured it, in milliseconds.
     */
    public static final String LINK_RTT = "mesh_link_rtt_ms";

    /**
     * Kafka header on flooded control records: the neighbour the record was learned from, so
     * the control channel does not hand it back (split horizon).
     */
    public static final String LEARNED_FROM = "mesh_learned_from";

    /**
     * Kafka header on link records and arrivals: epoch millis at which the last router handed the
     * event on (the origin router writing it to a link topic, the destination router writing it
     * into {@code mesh.events}), so the next stage knows when it started
     * ({@code io.meshwork.core.metrics.Stage}).
     */
    public static final String STAGE_AT = "mesh_stage_at";

    /**
     * Kafka header on traced events: {@code sampled} or {@code trace-only}, decided once by the
     * origin edge (or origin router), so every hop traces the same events.
     */
    public static final String TRACE = "mesh_trace";

    /** Kafka header on traced events: epoch millis of the latest traced hop, so the next one knows its latency. */
    public static final String HOP_AT = "mesh_hop_at";

    /** The hop budget an event starts with (the seed's TTL of 16 hops). */
    public static final int DEFAULT_HOP_BUDGET = 16;

    private MeshHeaders() {
    }
}
