package io.meshwork.core.envelope;

/**
 * Names of the mesh's own attributes on the wire (DESIGN.md 2.1).
 *
 * <p>The mesh topic is a CloudEvents extension, so it belongs to the event and every binding
 * carries it ({@code ce_meshtopic} on Kafka, {@code ce-meshtopic} on HTTP). Routing bookkeeping
 * changes at every hop and is not part of the event a publisher sent, so it travels in plain
 * Kafka headers beside the CloudEvents ones.
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

    /** The hop budget an event starts with (the seed's TTL of 16 hops). */
    public static final int DEFAULT_HOP_BUDGET = 16;

    private MeshHeaders() {
    }
}
