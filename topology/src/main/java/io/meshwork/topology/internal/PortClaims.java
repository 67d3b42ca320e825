package io.meshwork.topology.internal;

import io.meshwork.topology.RegionPorts;
import java.util.HashMap;
import java.util.Map;

/**
 * The ports claimed so far, by the key that claimed them. Every listener of the mesh runs on
 * one machine in the embedded mode, so a port may be used once across the whole file.
 */
final class PortClaims {

    private final Map<Long, String> owners = new HashMap<>();

    /** Reads the port at {@code node}, checks its range and that nobody else has it. */
    int claim(YamlNode node) {
        long port = node.integer();
        if (port < RegionPorts.MIN_PORT || port > RegionPorts.MAX_PORT) {
            throw node.fail("port " + port + " is out of range " + RegionPorts.MIN_PORT + ".." + RegionPorts.MAX_PORT);
        }
        String previous = owners.putIfAbsent(port, node.key());
        if (previous != null) {
            throw node.fail("port " + port + " is already used by " + previous);
        }
        return (int) port;
    }
}
