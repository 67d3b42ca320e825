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

    /** What DESIGN.md 2.6 adds to the MQTT port for the AMQP port: 11883 -> 15672, 21883 -> 25672, 31883 -> 35672. */
    public static final int AMQP_OFFSET_FROM_MQTT = 3789;

    /**
     * The edge's AMQP 1.0 listener: DESIGN.md 2.6 fixes it beside the MQTT port (us-east-1 15672,
     * eu-west-1 25672, ap-southeast-1 35672), so the topology file does not name it.
     *
     * @return the MQTT port plus {@value #AMQP_OFFSET_FROM_MQTT}
     * @throws IllegalStateException if that is beyond {@value #MAX_PORT}
     */
    public int amqp() {
        int port = mqtt + AMQP_OFFSET_FROM_MQTT;
        if (!isValidPort(port)) {
            throw new IllegalStateException("amqp port " + port + " (mqtt port + " + AMQP_OFFSET_FROM_MQTT + ") is out of range "
                    + MIN_PORT + ".." + MAX_PORT);
        }
        return port;
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
