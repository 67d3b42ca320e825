package io.meshwork.launcher.cli;

import io.meshwork.connectors.links.LinkMode;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.PortInUseException;
import io.meshwork.launcher.RegionEndpoints;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh up}: starts the embedded mesh and runs it until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a complete embedded mesh (Kafka per region, edges, control plane, WAN emulator) until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    TopologyOption topology;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Option(names = "--links", paramLabel = "push|mirrormaker", converter = LinksCommand.LinkModeConverter.class,
            description = "What carries events between regions: push links run by each origin (default), or MirrorMaker 2 run by each target.")
    LinkMode linkMode = LinkMode.PUSH;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        PrintStream out = System.out;
        Topology loaded;
        try {
            loaded = topology.load();
        } catch (TopologyException e) {
            System.err.println("mesh up: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        out.printf("Starting mesh '%s': %d regions, %d links%n", loaded.mesh(), loaded.regions().size(), loaded.links().size());
        long started = System.nanoTime();
        EmbeddedMesh mesh;
        try {
            mesh = EmbeddedMesh.start(loaded, EmbeddedMesh.Ports.TOPOLOGY, linkMode,
                    (part, detail, took) -> out.printf("  ok  %-26s %-44s %s%n", part, detail, seconds(took)));
        } catch (PortInUseException e) {
            System.err.println("mesh up: " + e.getMessage() + ". Stop whatever holds it, or pass --topology with other ports.");
            return MeshCli.CONFIG_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the mesh...");
            mesh.close();
            out.println("Mesh stopped; temp directories removed.");
            stopped.countDown();
        }, "mesh-shutdown"));
        printEndpoints(out, loaded, mesh);
        out.printf("MESH READY in %s (Ctrl-C to stop)%n", seconds(Duration.ofNanos(System.nanoTime() - started)));
        out.flush();
        stopped.await();
        return 0;
    }

    private static void printEndpoints(PrintStream out, Topology topology, EmbeddedMesh mesh) {
        out.println();
        out.printf("  %-16s %-17s %-42s %-32s %-17s %s%n", "region", "kafka", "edge HTTP publish", "edge WebSocket", "edge gRPC",
                "edge MQTT");
        for (Region region : topology.regions()) {
            RegionEndpoints endpoints = mesh.region(region.name());
            out.printf("  %-16s %-17s %-42s %-32s %-17s %s%n", region.name(), endpoints.bootstrapServers(),
                    endpoints.httpUrl() + "/v1/events/publish", endpoints.streamUrl(), endpoints.grpcTarget(), endpoints.mqttUri());
        }
        out.printf("  %-16s %s  (/v1/health, /v1/topology, /v1/brokers, /v1/rules, /v1/traces/{id}, /v1/ops/..., POST /v1/admin/links/{a}/{b}/cut|heal)%n",
                "control plane", mesh.controlPlaneUrl());
        out.println();
    }

    private static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
