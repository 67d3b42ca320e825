package io.meshwork.router.routing;

import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one region's router counts (Prometheus names in brackets):
 * data events and bytes written towards each neighbour ({@code mesh_link_events_total{from,to}},
 * {@code mesh_link_bytes_total{from,to}}), arrivals, routing loops, hop-limit drops, dead
 * letters and events with no path.
 */
public final class RouterMetrics {

    private final String region;
    private final MeterRegistry registry = MeshMetrics.registry();
    // Meters are built once per tag value: these calls sit on the per-event path.
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, LinkCounters> links = new ConcurrentHashMap<>();

    public RouterMetrics(String region) {
        this.region = region;
    }

    /** A data event of {@code bytes} written to the link towards {@code neighbour}. */
    public void linkEvent(String neighbour, long bytes) {
        LinkCounters link = links.computeIfAbsent(neighbour, to -> new LinkCounters(
                counter("mesh.link.events", "Data events written towards a neighbour", "from", region, "to", to),
                counter("mesh.link.bytes", "Bytes of data events (key, value, headers) written towards a neighbour",
                        "from", region, "to", to)));
        link.events().increment();
        link.bytes().increment(bytes);
    }

    /** Looked up by neighbour alone: {@link #linkEvent} runs for every forwarded event. */
    private record LinkCounters(Counter events, Counter bytes) {
    }

    public void arrival(String fromNeighbour) {
        counter("mesh.arrivals", "Events that arrived from another region for local delivery",
                "region", region, "from", fromNeighbour).increment();
    }

    public void loopDropped() {
        counter("mesh.routing.loops", "Events dropped because their routing path already held this broker",
                "region", region).increment();
    }

    public void hopLimitDropped() {
        counter("mesh.routing.hop.limit", "Events dropped because their hop budget was spent", "region", region).increment();
    }

    public void duplicateDropped() {
        counter("mesh.dedup.duplicates", "Arrivals dropped because the dedup ledger had seen them", "region", region).increment();
    }

    public void deadLetter(String field) {
        counter("mesh.dlq", "Records sent to mesh.dlq", "region", region, "field", field).increment();
    }

    public void unroutable(String destination) {
        counter("mesh.routing.unroutable", "Events wanted by a region no path leads to (spooled on their usual link)",
                "region", region, "destination", destination).increment();
    }

    public void heldForOrder() {
        counter("mesh.order.held", "Arrivals that waited for an earlier event of their origin (a path change reordered them)",
                "region", region).increment();
    }

    public void orderGap() {
        counter("mesh.order.gaps", "Times an arrival stopped waiting for an earlier event that did not come in time",
                "region", region).increment();
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags),
                key -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
