package io.meshwork.core.interest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads control protocol version 1: the JSON objects the releases before the protobuf record
 * wrote on {@code mesh.routes} ({@code "kind"}: {@code "advert"} (or absent, as the first
 * release wrote adverts), {@code "ack"} or {@code "linkstate"}). Field by field it reads exactly
 * what those releases' decoders read, with their defaults for absent fields.
 *
 * <p>Only reads: nothing writes version 1 any more. Delete it (and the branch in
 * {@link ControlCodec#decode(byte[])}) in the release after the one that introduced version 2,
 * once every router runs version 2 and each {@code mesh.routes} has been compacted past the last
 * JSON record: the routers re-write every advert and link state they flood, and issue fresh
 * link states every heartbeat, so after one full flood and compaction no version 1 value remains
 * (a region whose {@code mesh.routes} still holds one can be checked by consuming it from the
 * beginning and looking for values starting with <code>'{'</code>).
 */
final class LegacyJsonControlDecoder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LegacyJsonControlDecoder() {
    }

    static ControlRecord decode(byte[] bytes) {
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidControlRecordException("value", "not a control record (malformed version 1 JSON): " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidControlRecordException("value", "not a control record (version 1 JSON that is not an object)");
        }
        String kind = node.has("kind") ? node.get("kind").asText() : "advert";
        try {
            return switch (kind) {
                case "advert" -> advert(node);
                case "ack" -> new RouteAck(node.path("acker").asText(null), node.path("advertKey").asText(null),
                        node.path("origin").asText(null), node.path("seq").asLong(-1), node.path("active").asBoolean(false));
                case "linkstate" -> linkState(node);
                default -> throw new InvalidControlRecordException("kind", "version 1 control record of unknown kind '" + kind + "'");
            };
        } catch (InvalidControlRecordException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidControlRecordException("value", "not a version 1 " + kind + ": " + e.getMessage(), e);
        }
    }

    private static RouteAdvert advert(JsonNode node) {
        return new RouteAdvert(text(node, "origin"), text(node, "pattern"), text(node, "selector"),
                node.path("seq").asLong(-1), node.path("active").asBoolean(false), node.path("advertisedAtMs").asLong(0));
    }

    private static LinkState linkState(JsonNode node) {
        Map<String, Boolean> links = new TreeMap<>();
        fields(node.path("links")).forEach((neighbour, up) -> links.put(neighbour, up.asBoolean(true)));
        Map<String, Long> rtt = new TreeMap<>();
        fields(node.path("rttMs")).forEach((neighbour, ms) -> rtt.put(neighbour, ms.asLong()));
        Map<String, Map<Integer, Long>> received = new TreeMap<>();
        fields(node.path("received")).forEach((neighbour, partitions) -> {
            Map<Integer, Long> byPartition = new TreeMap<>();
            fields(partitions).forEach((partition, offset) -> byPartition.put(Integer.parseInt(partition), offset.asLong()));
            received.put(neighbour, byPartition);
        });
        Map<String, String> hops = new TreeMap<>();
        fields(node.path("nextHops")).forEach((destination, hop) -> hops.put(destination, hop.asText()));
        return new LinkState(node.path("origin").asText(null), node.path("seq").asLong(-1), node.path("sentAtMs").asLong(0),
                links, rtt, received, hops);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidControlRecordException("advert." + field, "version 1 route advert lacks '" + field + "'");
        }
        return value.textValue();
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
