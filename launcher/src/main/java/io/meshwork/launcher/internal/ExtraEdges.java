package io.meshwork.launcher.internal;

import io.meshwork.core.config.Durations;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Edges 1..N-1 of every region of {@code mesh up --edges N}, each a child process on the ports
 * of {@link PortPlan#edgePorts}: edge 0 runs inside the launcher as before, the others can be
 * killed one by one. They stop with the launcher (SIGTERM from its shutdown hook; on its own when
 * the launcher is killed).
 */
public final class ExtraEdges implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final List<EdgeProcess> processes;

    private ExtraEdges(List<EdgeProcess> processes) {
        this.processes = processes;
    }

    /**
     * Starts the extra edges of every region together and waits until each is ready.
     *
     * @param bootstrapServers a region's Kafka bootstrap servers
     * @param topologyFile     the topology file the mesh runs, or {@code null} for the built-in one
     * @param mqttSubackHold   as the launcher's own edges hold MQTT SUBACKs
     * @param output           each child's output lines, prefixed with its name
     */
    public static ExtraEdges start(Topology topology, int edgesPerRegion, Function<String, String> bootstrapServers,
                                   Path topologyFile, Duration mqttSubackHold, Consumer<String> output)
            throws InterruptedException, TimeoutException {
        return start(topology, edgesPerRegion, bootstrapServers, topologyFile, mqttSubackHold, Map.of(), output);
    }

    /**
     * As {@link #start(Topology, int, Function, Path, Duration, Consumer)}, each edge also getting
     * {@code secureKeys} ({@code ./mesh up --secure}: TLS and token keys), through its environment.
     */
    public static ExtraEdges start(Topology topology, int edgesPerRegion, Function<String, String> bootstrapServers,
                                   Path topologyFile, Duration mqttSubackHold, Map<String, String> secureKeys,
                                   Consumer<String> output)
            throws InterruptedException, TimeoutException {
        List<EdgeProcess> started = new ArrayList<>();
        ExtraEdges edges = new ExtraEdges(started);
        try {
            for (Region region : topology.regions()) {
                for (int k = 1; k < edgesPerRegion; k++) {
                    started.add(EdgeProcess.start("edge " + region.name() + "#" + k, region.name(),
                            bootstrapServers.apply(region.name()), LOOPBACK, PortPlan.edgePorts(region, k), topologyFile,
                            Map.of(EdgeKeys.MQTT_SUBACK_HOLD, Durations.format(mqttSubackHold),
                                    // A dozen JVMs starting together on a small machine answer slowly.
                                    MeshKeys.STARTUP_CHECK_TIMEOUT, "60s"),
                            secureKeys, output));
                }
            }
            for (EdgeProcess process : started) {
                process.awaitReady(Duration.ofSeconds(120));
            }
            return edges;
        } catch (RuntimeException | InterruptedException | TimeoutException e) {
            edges.close();
            throw e;
        }
    }

    /** The running child edges, in region order then index order. */
    public List<EdgeProcess> processes() {
        return List.copyOf(processes);
    }

    /** Stops every child edge: SIGTERM to all at once (each takes seconds to stop its listeners), then waits for each. */
    @Override
    public void close() {
        processes.forEach(EdgeProcess::terminate);
        processes.forEach(EdgeProcess::close);
    }
}
