package io.meshwork.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The shape of a mesh: its regions, the WAN links between them and where the control plane
 * listens. Instances are immutable and always consistent: every link joins two known,
 * distinct regions, no pair of regions is linked twice, and no two listeners share a port.
 * A region without links is allowed (it is isolated, not invalid).
 *
 * <p>Load one from YAML with {@link TopologyLoader}; that reports problems with the file's
 * keys, where this constructor can only say what is wrong.
 *
 * @param mesh             the mesh's name
 * @param controlPlanePort where the control plane (ops API, dashboard, metrics) listens
 * @param regions          the regions, in declaration order; at least one
 * @param links            the links, in declaration order; possibly none
 */
public record Topology(String mesh, int controlPlanePort, List<Region> regions, List<Link> links) {

    /**
     * @throws IllegalArgumentException if the parts are inconsistent (see the class comment)
     * @throws NullPointerException     if an argument or an element is null
     */
    public Topology {
        Objects.requireNonNull(mesh, "mesh");
        if (mesh.isBlank()) {
            throw new IllegalArgumentException("mesh name must not be blank");
        }
        if (!RegionPorts.isValidPort(controlPlanePort)) {
            throw new IllegalArgumentException("control plane port " + controlPlanePort + " is out of range "
                    + RegionPorts.MIN_PORT + ".." + RegionPorts.MAX_PORT);
        }
        regions = List.copyOf(regions);
        links = List.copyOf(links);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("a topology needs at least one region");
        }
        requireUniqueNames(regions);
        requireDistinctPorts(controlPlanePort, regions);
        requireKnownDistinctLinks(regions, links);
    }

    /**
     * @param name a region name
     * @return the region called {@code name}
     * @throws IllegalArgumentException if there is no such region
     */
    public Region region(String name) {
        return regions.stream()
                .filter(region -> region.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown region '" + name + "' (known: " + String.join(", ", regionNames()) + ")"));
    }

    /**
     * @return the region names, in declaration order
     */
    public List<String> regionNames() {
        return regions.stream().map(Region::name).toList();
    }

    /**
     * Finds the link between two regions, in either order.
     *
     * @param a a region name
     * @param b another region name
     * @return the link joining them, or empty if they are not directly linked
     * @throws IllegalArgumentException if either region is unknown
     */
    public Optional<Link> link(String a, String b) {
        region(a);
        region(b);
        return links.stream().filter(link -> link.joins(a, b)).findFirst();
    }

    /**
     * The regions directly linked to {@code region}, in region declaration order, so the
     * answer does not depend on how the links happen to be listed.
     *
     * @param region a region name
     * @return the neighbours' names; empty for an isolated region
     * @throws IllegalArgumentException if the region is unknown
     */
    public List<String> neighbours(String region) {
        region(region);
        Set<String> linked = links.stream()
                .filter(link -> link.connects(region))
                .map(link -> link.other(region))
                .collect(Collectors.toSet());
        return regionNames().stream().filter(linked::contains).toList();
    }

    private static void requireUniqueNames(List<Region> regions) {
        Set<String> seen = new HashSet<>();
        for (Region region : regions) {
            if (!seen.add(region.name())) {
                throw new IllegalArgumentException("duplicate region '" + region.name() + "'");
            }
        }
    }

    private static void requireDistinctPorts(int controlPlanePort, List<Region> regions) {
        Map<Integer, String> owners = new HashMap<>();
        owners.put(controlPlanePort, "the control plane");
        for (Region region : regions) {
            region.ports().byName().forEach((protocol, port) -> {
                String owner = region.name() + " " + protocol;
                String previous = owners.putIfAbsent(port, owner);
                if (previous != null) {
                    throw new IllegalArgumentException(
                            "port " + port + " of " + owner + " is already used by " + previous);
                }
            });
        }
    }

    private static void requireKnownDistinctLinks(List<Region> regions, List<Link> links) {
        Set<String> names = regions.stream().map(Region::name).collect(Collectors.toSet());
        List<Link> seen = new ArrayList<>();
        for (Link link : links) {
            for (String end : List.of(link.a(), link.b())) {
                if (!names.contains(end)) {
                    throw new IllegalArgumentException("link " + link.a() + "<->" + link.b()
                            + " names unknown region '" + end + "'");
                }
            }
            if (seen.stream().anyMatch(earlier -> earlier.joins(link.a(), link.b()))) {
                throw new IllegalArgumentException("duplicate link between '" + link.a() + "' and '" + link.b() + "'");
            }
            seen.add(link);
        }
    }
}
