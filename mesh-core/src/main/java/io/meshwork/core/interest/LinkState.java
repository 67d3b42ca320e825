package io.meshwork.core.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
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
 */
public record LinkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links) {

    /** Keys of link-state records on {@code mesh.routes} start with this. */
    public static final String KEY_PREFIX = "ls|";

    private static final ObjectMapper JSON = new ObjectMapper();

    public LinkState {
        Objects.requireNonNull(origin, "origin");
        links = Map.copyOf(links);
    }

    public String key() {
        return KEY_PREFIX + origin;
    }

    /** Whether the origin hears {@code neighbour}; true when it does not report on it. */
    public boolean hears(String neighbour) {
        return links.getOrDefault(neighbour, true);
    }

    public byte[] encode() {
        ObjectNode node = JSON.createObjectNode().put("kind", "linkstate").put("origin", origin).put("seq", seq)
                .put("sentAtMs", sentAtMs);
        ObjectNode linkNodes = node.putObject("links");
        new TreeMap<>(links).forEach(linkNodes::put);
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
            for (Iterator<Map.Entry<String, JsonNode>> it = node.path("links").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> link = it.next();
                links.put(link.getKey(), link.getValue().asBoolean(true));
            }
            return new LinkState(node.path("origin").asText(null), node.path("seq").asLong(-1), node.path("sentAtMs").asLong(0), links);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a link state: " + e.getMessage(), e);
        }
    }
}
