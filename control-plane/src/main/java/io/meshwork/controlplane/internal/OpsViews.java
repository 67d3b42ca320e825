package io.meshwork.controlplane.internal;

import io.meshwork.controlplane.HealthCheck;
import io.meshwork.controlplane.LinkAdmin;
import io.meshwork.controlplane.internal.feeds.LinkStates;
import io.meshwork.core.interest.LinkState;
import io.meshwork.topology.Link;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JSON documents of the ops API, as plain maps. */
public final class OpsViews {

    private OpsViews() {
    }

    /** {@code GET /v1/health}: {@code UP} when every part is up, else {@code DEGRADED} with the parts that are down. */
    public static Map<String, Object> health(String mesh, List<HealthCheck> checks) {
        Map<String, Object> parts = new LinkedHashMap<>();
        boolean allUp = true;
        for (HealthCheck check : checks) {
            boolean up = check.up().getAsBoolean();
            allUp &= up;
            parts.put(check.name(), up ? "UP" : "DOWN");
        }
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("status", allUp ? "UP" : "DEGRADED");
        health.put("mesh", mesh);
        health.put("parts", parts);
        return health;
    }

    private static Optional<Long> boxed(java.util.OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    /**
     * {@code GET /v1/topology}: regions with the next hops their routers use, and links with
     * their configured RTT, the RTT their ends measured, the WAN state where the control plane
     * drives the WAN (the embedded mesh) and the state the routers see (both ends hear each
     * other's heartbeats). Router-side fields are absent until the routers' link states arrive.
     */
    public static Map<String, Object> topology(Topology topology, LinkAdmin links, LinkStates states) {
        List<Map<String, Object>> regions = new ArrayList<>();
        for (Region region : topology.regions()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", region.name());
            view.put("neighbours", topology.neighbours(region.name()));
            Map<String, Object> ports = new LinkedHashMap<>();
            ports.put("kafka", region.ports().kafka());
            ports.put("http", region.ports().http());
            ports.put("grpc", region.ports().grpc());
            ports.put("mqtt", region.ports().mqtt());
            view.put("ports", ports);
            states.of(region.name()).ifPresent(state -> view.put("nextHops", new java.util.TreeMap<>(state.nextHops())));
            regions.add(view);
        }
        List<Map<String, Object>> linkViews = new ArrayList<>();
        for (Link link : topology.links()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("a", link.a());
            view.put("b", link.b());
            view.put("rttMs", link.rtt().toMillis());
            view.put("state", links == null ? "UNKNOWN" : links.isUp(link.a(), link.b()) ? "UP" : "DOWN");
            Optional<LinkState> a = states.of(link.a());
            Optional<LinkState> b = states.of(link.b());
            if (a.isPresent() && b.isPresent()) {
                view.put("routerState", a.get().hears(link.b()) && b.get().hears(link.a()) ? "UP" : "DOWN");
            }
            List<Long> measured = new ArrayList<>();
            a.flatMap(s -> boxed(s.rttTo(link.b()))).ifPresent(measured::add);
            b.flatMap(s -> boxed(s.rttTo(link.a()))).ifPresent(measured::add);
            if (!measured.isEmpty()) {
                view.put("measuredRttMs", measured.stream().mapToLong(Long::longValue).sum() / measured.size());
            }
            linkViews.add(view);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("mesh", topology.mesh());
        view.put("regions", regions);
        view.put("links", linkViews);
        return view;
    }
}
