package io.meshwork.topology.internal;

import io.meshwork.topology.Link;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the {@code links} list against the regions already read. */
final class LinksReader {

    private static final List<String> LINK_FIELDS = List.of("between", "rttMs");

    private final Set<String> regionNames;

    LinksReader(Set<String> regionNames) {
        this.regionNames = regionNames;
    }

    List<Link> read(YamlNode linksNode) {
        List<Link> links = new ArrayList<>();
        List<YamlNode> elements = linksNode.elements();
        for (int i = 0; i < elements.size(); i++) {
            YamlNode element = elements.get(i);
            element.allowOnly(LINK_FIELDS);
            YamlNode between = element.field("between");
            List<String> ends = readEnds(between);
            requireNew(between, ends, links);
            links.add(new Link(ends.get(0), ends.get(1), readRtt(element.field("rttMs"))));
        }
        return links;
    }

    private List<String> readEnds(YamlNode between) {
        List<YamlNode> entries = between.elements();
        if (entries.size() != 2) {
            throw between.fail("expected exactly two regions, got " + entries.size());
        }
        List<String> ends = new ArrayList<>(2);
        for (YamlNode entry : entries) {
            String region = entry.text();
            if (!regionNames.contains(region)) {
                throw entry.fail("unknown region '" + region + "'");
            }
            if (ends.contains(region)) {
                throw entry.fail("link from region '" + region + "' to itself");
            }
            ends.add(region);
        }
        return ends;
    }

    private static void requireNew(YamlNode between, List<String> ends, List<Link> earlier) {
        for (int j = 0; j < earlier.size(); j++) {
            if (earlier.get(j).joins(ends.get(0), ends.get(1))) {
                throw between.fail("duplicate link between '" + ends.get(0) + "' and '" + ends.get(1)
                        + "', already declared at links[" + j + "]");
            }
        }
    }

    private static Duration readRtt(YamlNode rttNode) {
        long millis = rttNode.integer();
        if (millis <= 0) {
            throw rttNode.fail("round-trip time must be positive");
        }
        return Duration.ofMillis(millis);
    }
}
