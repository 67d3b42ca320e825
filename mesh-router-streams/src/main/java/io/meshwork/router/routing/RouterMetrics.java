package io.meshwork.router.routing;

import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What one region's router counts (Prometheus names in brackets):
 * data events and bytes written towards each neighbour ({@code mesh_link_events_total{from,to}},
 * {@code mesh_link_bytes_total{from,to}}), arrivals, routing loops, hop-limit drops, dead
 * letters and events with no path.
 */
public final class RouterMetrics {

    private final String region;
    private final MeterRegistry registry = MeshMetrics.registry();

    public RouterMetrics(String region) {
        this.region = region;
    }

    /** A data event of {@code bytes} written to the link towards {@code neighbour}. */
    public void linkEvent(String neighbour, long bytes) {
        Counter.builder("mesh.link.events").description("Data events written towards a neighbour")
                .tags("from", region, "to", neighbour).register(registry).increment();
        Counter.builder("mesh.link.bytes").description("Bytes of data events (key, value, headers) written towards a neighbour")
                .tags("from", region, "to", neighbour).register(registry).increment(bytes);
    }

    public void arrival(String fromNeighbour) {
        Counter.builder("mesh.arrivals").description("Events that arrived from another region for local delivery")
                .tags("region", region, "from", fromNeighbour).register(registry).increment();
    }

    public void loopDropped() {
        Counter.builder("mesh.routing.loops").description("Events dropped because their routing path already held this broker")
                .tags("region", region).register(registry).increment();
    }

    public void hopLimitDropped() {
        Counter.builder("mesh.routing.hop.limit").description("Events dropped because their hop budget was spent")
                .tags("region", region).register(registry).increment();
    }

    public void duplicateDropped() {
        Counter.builder("mesh.dedup.duplicates").description("Arrivals dropped because the dedup ledger had seen them")
                .tags("region", region).register(registry).increment();
    }

    public void deadLetter(String field) {
        Counter.builder("mesh.dlq").description("Records sent to mesh.dlq")
                .tags("region", region, "field", field).register(registry).increment();
    }

    public void unroutable(String destination) {
        Counter.builder("mesh.routing.unroutable").description("Events wanted by a region no path leads to (spooled on their usual link)")
                .tags("region", region, "destination", destination).register(registry).increment();
    }
}
