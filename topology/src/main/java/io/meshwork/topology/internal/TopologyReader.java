package io.meshwork.topology.internal;

import io.meshwork.topology.Link;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns topology YAML into a {@link Topology}, failing with a {@code TopologyException} on
 * the first problem. Checks run in document order (control plane, regions, links), so the
 * earlier of two clashing keys is the one named as the previous owner.
 */
public final class TopologyReader {

    private static final List<String> ROOT_FIELDS = List.of("mesh", "controlPlane", "regions", "links");
    private static final List<String> CONTROL_PLANE_FIELDS = List.of("port");

    private TopologyReader() {
    }

    /**
     * @param source   the name to blame in messages
     * @param yamlText the document
     * @return the topology it describes
     */
    public static Topology read(String source, String yamlText) {
        YamlNode root = YamlDocument.parse(source, yamlText).allowOnly(ROOT_FIELDS);
        String mesh = readMesh(root.field("mesh"));
        PortClaims ports = new PortClaims();
        int controlPlanePort = ports.claim(root.field("controlPlane").allowOnly(CONTROL_PLANE_FIELDS).field("port"));
        List<Region> regions = new RegionsReader(ports).read(root.field("regions"));
        Set<String> regionNames = regions.stream().map(Region::name).collect(Collectors.toSet());
        // No links is a valid (if lonely) mesh of isolated regions.
        List<Link> links = root.optionalField("links")
                .map(linksNode -> new LinksReader(regionNames).read(linksNode))
                .orElse(List.of());
        return new Topology(mesh, controlPlanePort, regions, links);
    }

    private static String readMesh(YamlNode meshNode) {
        String mesh = meshNode.text();
        if (mesh.isBlank()) {
            throw meshNode.fail("mesh name must not be blank");
        }
        return mesh;
    }
}
