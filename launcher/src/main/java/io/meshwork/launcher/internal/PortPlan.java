package io.meshwork.launcher.internal;

import io.meshwork.launcher.PortInUseException;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fixed ports the embedded mesh binds, checked before anything starts so that a clash is
 * reported with the port and its purpose instead of a bind error deep inside Kafka or Jetty.
 */
public final class PortPlan {

    private PortPlan() {
    }

    /** Every fixed port of {@code topology} that this build binds, with what needs it. */
    public static Map<Integer, String> fixedPorts(Topology topology) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            ports.put(region.ports().kafka(), "the Kafka cluster of " + region.name());
            ports.put(region.ports().http(), "the edge HTTP/WebSocket listener of " + region.name());
            ports.put(region.ports().grpc(), "the edge gRPC listener of " + region.name());
            ports.put(region.ports().mqtt(), "the edge MQTT listener of " + region.name());
        }
        ports.put(topology.controlPlanePort(), "the control plane (ops API)");
        return ports;
    }

    /** @throws PortInUseException for the first port that cannot be bound */
    public static void checkFree(Map<Integer, String> ports) {
        ports.forEach((port, purpose) -> {
            if (!isFree(port)) {
                throw new PortInUseException(port, purpose);
            }
        });
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
