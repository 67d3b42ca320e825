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

    /**
     * Most edges per region of {@code mesh up --edges N}: edge k serves the region's ports plus k,
     * and the HTTP port plus 10 is the gRPC port of DESIGN.md 2.3.
     */
    public static final int MAX_EDGES_PER_REGION = 10;

    /** Every fixed port of {@code topology} that this build binds, with what needs it. */
    public static Map<Integer, String> fixedPorts(Topology topology) {
        return fixedPorts(topology, 1);
    }

    /** Every fixed port of {@code topology} with {@code edgesPerRegion} edges per region, with what needs it. */
    public static Map<Integer, String> fixedPorts(Topology topology, int edgesPerRegion) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            ports.put(region.ports().kafka(), "the Kafka cluster of " + region.name());
            for (int k = 0; k < edgesPerRegion; k++) {
                EdgeProcess.Ports edge = edgePorts(region, k);
                String which = k == 0 ? region.name() : "edge " + k + " of " + region.name();
                ports.put(edge.http(), "the edge HTTP/WebSocket listener of " + which);
                ports.put(edge.grpc(), "the edge gRPC listener of " + which);
                ports.put(edge.mqtt(), "the edge MQTT listener of " + which);
            }
        }
        ports.put(topology.controlPlanePort(), "the control plane (ops API)");
        return ports;
    }

    /**
     * The ports of edge {@code index} (0-based) of {@code region}: the topology's HTTP, gRPC and MQTT
     * ports plus {@code index}, so edge 0 keeps DESIGN.md 2.3's ports (us-east-1 edge 2: 18082, 18092, 11885).
     */
    public static EdgeProcess.Ports edgePorts(Region region, int index) {
        if (index < 0 || index >= MAX_EDGES_PER_REGION) {
            throw new IllegalArgumentException("edge index must be within 0.." + (MAX_EDGES_PER_REGION - 1) + ", got " + index);
        }
        return new EdgeProcess.Ports(region.ports().http() + index, region.ports().grpc() + index, region.ports().mqtt() + index);
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
