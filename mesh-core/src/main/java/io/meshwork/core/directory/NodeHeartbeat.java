package io.meshwork.core.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * One heartbeat of an edge or router on its region's {@code mesh.heartbeats} (JSON, keyed by
 * node name): registers the node in the control plane's broker directory and keeps it alive.
 *
 * @param name        unique node name, e.g. {@code edge-us-east-1-3f2a91c0}, {@code router-us-east-1}
 * @param role        edge or router
 * @param region      the node's region
 * @param ipAddress   address of the node's host
 * @param endpoint    where clients reach the node (edges: the HTTP base URL), or {@code null}
 * @param status      ACTIVE, DRAINING or OFFLINE (a node going away says OFFLINE itself)
 * @param connections client connections the node holds
 * @param cpuPercent  CPU utilisation of the node's process, 0..100
 * @param sentAtMs    when the heartbeat was sent, epoch millis
 */
public record NodeHeartbeat(String name, NodeRole role, String region, String ipAddress, String endpoint, NodeStatus status,
                            int connections, double cpuPercent, long sentAtMs) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public NodeHeartbeat {
        require(name != null && !name.isBlank() && name.length() <= 128, "name", name, "must be 1..128 characters");
        require(role != null, "role", role, "must be EDGE or ROUTER");
        require(region != null && !region.isBlank() && region.length() <= 64, "region", region, "must be 1..64 characters");
        require(ipAddress != null && !ipAddress.isBlank() && ipAddress.length() <= 45, "ipAddress", ipAddress,
                "must be 1..45 characters");
        require(endpoint == null || endpoint.length() <= 256, "endpoint", endpoint, "must be at most 256 characters");
        require(status != null, "status", status, "must be ACTIVE, DRAINING or OFFLINE");
        require(connections >= 0, "connections", connections, "must not be negative");
        require(cpuPercent >= 0 && cpuPercent <= 100, "cpuPercent", cpuPercent, "must be within 0..100");
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode heartbeat of " + name, e);
        }
    }

    /** @throws IllegalArgumentException if {@code bytes} is not a valid heartbeat */
    public static NodeHeartbeat decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, NodeHeartbeat.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a heartbeat: " + e.getMessage(), e);
        }
    }

    private static void require(boolean valid, String field, Object value, String rule) {
        if (!valid) {
            throw new IllegalArgumentException("invalid heartbeat field " + field + "=" + Objects.toString(value) + ": " + rule);
        }
    }
}
