package io.meshwork.core.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A router's view of its own links, flooded to every region on {@code mesh.routes} (newest
 * sequence number per origin wins). It doubles as the heartbeat: a router that receives a
 * neighbour's record straight over their link knows the link carries traffic.
 *
 * @param origin   region whose links these are
 * @param seq      origin's sequence number; higher wins
 * @param sentAtMs when the origin issued the record
 * @param links    neighbour → whether the origin currently hears it
 * @param rttMs    neighbour → the link's round-trip time as measured by the origin's end of it
 *                 (absent until measured)
 * @param received neighbour → partition → the highest offset of the neighbour's spool towards the
 *                 origin ({@code mesh.link.<origin>}) the origin's router has processed: how far
 *                 that spool has drained
 */
public record LinkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links, Map<String, Long> rttMs,
                        Map<String, Map<Integer, Long>> received) {

    /** Keys of link-state records on {@code mesh.routes} start with this. */
    public static final String KEY_PREFIX = "ls|";

    private static final ObjectMapper JSON = new ObjectMapper();

    public LinkState {
        Objects.requireNonNull(origin, "origin");
        links = Map.copyOf(links);
        rttMs = Map.copyOf(rttMs);
        TreeMap<String, Map<Integer, Long>> copy = new TreeMap<>();
        received.forEach((neighbour, partitions) -> copy.put(neighbour, Map.copyOf(partitions)));
        received = Map.copyOf(copy);
    }

    /** A link state without measurements. */
    public LinkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links) {
        this(origin, seq, sentAtMs, links, Map.of(), Map.of());
    }

    public String key() {
        return KEY_PREFIX + origin;
    }

    /** Whether the origin hears {@code neighbour}; true when it does not report on it. */
    public boolean hears(String neighbour) {
        return links.getOrDefault(neighbour, true);
    }

    /** The measured round-trip time of the link to {@code neighbour}, if the origin measured it. */
    public OptionalLong rttTo(String neighbour) {
        Long rtt = rttMs.get(neighbour);
        return rtt == null ? OptionalLong.empty() : OptionalLong.of(rtt);
    }

    /** How far the origin has processed {@code neighbour}'s spool towards it, per partition (empty if unknown). */
    public Map<Integer, Long> receivedFrom(String neighbour) {
        return received.getOrDefault(neighbour, Map.of());
    }

    /** Same links, states and costs (sequence, time and progress aside): nothing to recompute. */
    public boolean sameTopologyAs(LinkState other) {
        return other != null && links.equals(other.links) && rttMs.equals(other.rttMs);
    }

    public byte[] encode() {
        ObjectNode node = JSON.createObjectNode().put("kind", "linkstate").put("origin", origin).put("seq", seq)
                .put("sentAtMs", sentAtMs);
        ObjectNode linkNodes = node.putObject("links");
        new TreeMap<>(links).forEach(linkNodes::put);
        ObjectNode rttNodes = node.putObject("rttMs");
        new TreeMap<>(rttMs).forEach(rttNodes::put);
        ObjectNode receivedNodes = node.putObject("received");
        new TreeMap<>(received).forEach((neighbour, partitions) -> {
            ObjectNode partitionNodes = receivedNodes.putObject(neighbour);
            new TreeMap<>(partitions).forEach((partition, ts) -> partitionNodes.put(Integer.toString(partition), ts));
        });
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode link state", e);
        }
    }

    /** @throws IllegalArgumentException if {@code bytes} is not a link-state record */
    public static LinkState decode(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (!"linkstate".equals(node.path("kind").asText())) {
                throw new IllegalArgumentException("not a link state");
            }
            Map<String, Boolean> links = new TreeMap<>();
            fields(node.path("links")).forEach((neighbour, up) -> links.put(neighbour, up.asBoolean(true)));
            Map<String, Long> rtt = new TreeMap<>();
            fields(node.path("rttMs")).forEach((neighbour, ms) -> rtt.put(neighbour, ms.asLong()));
            Map<String, Map<Integer, Long>> received = new TreeMap<>();
            fields(node.path("received")).forEach((neighbour, partitions) -> {
                Map<Integer, Long> byPartition = new TreeMap<>();
                fields(partitions).forEach((partition, ts) -> byPartition.put(Integer.parseInt(partition), ts.asLong()));
                received.put(neighbour, byPartition);
            });
            return new LinkState(node.path("origin").asText(null), node.path("seq").asLong(-1), node.path("sentAtMs").asLong(0),
                    links, rtt, received);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a link state: " + e.getMessage(), e);
        }
    }

    private static Map<String, JsonNode> fields(JsonNode node) {
        Map<String, JsonNode> fields = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.put(field.getKey(), field.getValue());
        }
        return fields;
    }
}
