package io.meshwork.router.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes control records in control protocol version 1: the JSON that routers of the release
 * before the protobuf record wrote on {@code mesh.routes} (RouteAdvert/LinkState.encode() at
 * commit 85298f3, member order included), as a router not yet upgraded still does during a
 * rolling upgrade. Test-only: production code reads version 1 but never writes it.
 */
public final class Version1Records {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Version1Records() {
    }

    public static byte[] advert(String origin, String pattern, long seq, boolean active, long advertisedAtMs) {
        return bytes(JSON.createObjectNode().put("kind", "advert").put("origin", origin).put("pattern", pattern)
                .put("selector", "").put("seq", seq).put("active", active).put("advertisedAtMs", advertisedAtMs));
    }

    /** A link state without measured RTTs, spool progress or next hops. */
    public static byte[] linkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links) {
        ObjectNode node = JSON.createObjectNode().put("kind", "linkstate").put("origin", origin).put("seq", seq)
                .put("sentAtMs", sentAtMs);
        ObjectNode linkNodes = node.putObject("links");
        new TreeMap<>(links).forEach(linkNodes::put);
        node.putObject("rttMs");
        node.putObject("received");
        node.putObject("nextHops");
        return bytes(node);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
