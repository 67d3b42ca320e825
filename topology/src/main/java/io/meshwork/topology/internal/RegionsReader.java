package io.meshwork.topology.internal;

import io.meshwork.topology.Region;
import io.meshwork.topology.RegionPorts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the {@code regions} list. */
final class RegionsReader {

    private static final List<String> REGION_FIELDS = List.of("name", "ports");
    private static final List<String> PORT_FIELDS = List.of("kafka", "http", "grpc", "mqtt");

    private final PortClaims ports;

    RegionsReader(PortClaims ports) {
        this.ports = ports;
    }

    List<Region> read(YamlNode regionsNode) {
        List<YamlNode> elements = regionsNode.elements();
        if (elements.isEmpty()) {
            throw regionsNode.fail("at least one region is required");
        }
        List<Region> regions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode element : elements) {
            element.allowOnly(REGION_FIELDS);
            String name = readName(element.field("name"), names);
            regions.add(new Region(name, readPorts(element.field("ports"))));
        }
        return regions;
    }

    private static String readName(YamlNode nameNode, Set<String> seen) {
        String name = nameNode.text();
        if (!Region.isValidName(name)) {
            throw nameNode.fail("invalid region name '" + name + "' (must match " + Region.NAME_PATTERN.pattern() + ")");
        }
        if (!seen.add(name)) {
            throw nameNode.fail("duplicate region '" + name + "'");
        }
        return name;
    }

    private RegionPorts readPorts(YamlNode portsNode) {
        portsNode.allowOnly(PORT_FIELDS);
        int kafka = ports.claim(portsNode.field("kafka"));
        int http = ports.claim(portsNode.field("http"));
        int grpc = ports.claim(portsNode.field("grpc"));
        int mqtt = ports.claim(portsNode.field("mqtt"));
        return new RegionPorts(kafka, http, grpc, mqtt);
    }
}
