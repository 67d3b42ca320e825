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

    /**
     * Compacted control topic: the interest each region advertises (its own, and what it learned
     * from neighbours), with per-origin sequence numbers. Mirrored to every neighbour as
     * {@code <region>.mesh.routes}, apart from data.
     */
    public static final String ROUTES = "mesh.routes";

    /**
     * In-region fan-out: the router writes one copy of each event per delivery slot (partition)
     * whose edge has a matching subscriber, and a marker once it routes for a new subscription.
     * Read by edges in routed delivery mode, each from its own slot only.
     */
    public static final String DELIVERIES = "mesh.deliveries";

    /**
     * Records on {@code mesh.events} that are not valid mesh events, and control records from a
     * neighbour that this release cannot read, with a reason header.
     */
    public static final String DLQ = "mesh.dlq";

    /**
     * Trace records, one per hop of a sampled event, written by the region's edges and router;
     * read by the control plane. Control traffic: never mirrored.
     */
    public static final String TRACES = "mesh.traces";

    /** Heartbeats of the region's edges and routers (the broker directory); read by the control plane. */
    public static final String HEARTBEATS = "mesh.heartbeats";

    /**
     * Compacted: the MQTT retained messages of the whole mesh as this region knows them, one record
     * per (origin region, mesh topic); the newest by (time, origin region) is the topic's retained
     * message. Written by the region's edges (local retained publishes) and by the links' retained
     * relay (what neighbours hold); read by edges, which serve it on subscribe, and by neighbours.
     */
    public static final String RETAINED = "mesh.retained";

    /**
     * Beats of the region's router instances ({@code RouterBeat}), written outside any transaction so
     * that a router instance killed in the middle of one cannot hold them back from read_committed
     * readers, as it holds back {@link #ROUTES}; the control channels relay them to the neighbours.
     */
    public static final String BEATS = "mesh.beats";

    /**
     * Compacted: the topic permissions (ACL entries) the control plane keeps, one record per entry
     * keyed by its id, a tombstone when it is deleted. Written by the control plane to every
     * region; read by the region's edges, which add them to their principals' token claims.
     * Control traffic: never mirrored.
     */
    public static final String ACLS = "mesh.acls";

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

    /**
     * Where data events from {@code fromRegion} arrive in {@code toRegion}: the link topic
     * {@code mesh.link.<to>} of the sender, mirrored under MirrorMaker 2's default naming
     * ({@code <from>.mesh.link.<to>}).
     */
    public static String arrivals(String fromRegion, String toRegion) {
        return fromRegion + "." + link(toRegion);
    }

    /** Where the route advertisements of neighbour {@code fromRegion} arrive: {@code <from>.mesh.routes}. */
    public static String remoteRoutes(String fromRegion) {
        return fromRegion + "." + ROUTES;
    }
}
