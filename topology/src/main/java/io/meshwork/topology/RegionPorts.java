package io.meshwork.topology;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The listener ports of one region's services on the local machine (DESIGN.md 2.3).
 *
 * @param kafka the Kafka broker's client listener
 * @param http  the edge's HTTP + WebSocket listener
 * @param grpc  the edge's gRPC listener
 * @param mqtt  the edge's MQTT listener
 */
public record RegionPorts(int kafka, int http, int grpc, int mqtt) {

    /** The lowest valid port number. */
    public static final int MIN_PORT = 1;
    /** The highest valid port number. */
    public static final int MAX_PORT = 65535;

    /**
     * @throws IllegalArgumentException if any port is outside {@value #MIN_PORT}..{@value #MAX_PORT}
     */
    public RegionPorts {
        requireValid("kafka", kafka);
        requireValid("http", http);
        requireValid("grpc", grpc);
        requireValid("mqtt", mqtt);
    }

    /**
     * Tells whether {@code port} is a usable TCP port number.
     *
     * @param port the candidate
     * @return true if it lies in {@value #MIN_PORT}..{@value #MAX_PORT}
     */
    public static boolean isValidPort(int port) {
        return port >= MIN_PORT && port <= MAX_PORT;
    }

    /**
     * The ports by their field name, in the order kafka, http, grpc, mqtt.
     *
     * @return an unmodifiable, ordered map
     */
    public Map<String, Integer> byName() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("kafka", kafka);
        ports.put("http", http);
        ports.put("grpc", grpc);
        ports.put("mqtt", mqtt);
        return Collections.unmodifiableMap(ports);
    }

    private static void requireValid(String name, int port) {
        if (!isValidPort(port)) {
            throw new IllegalArgumentException(
                    name + " port " + port + " is out of range " + MIN_PORT + ".." + MAX_PORT);
        }
    }
}
