package io.meshwork.launcher.cli;

import io.meshwork.connectors.links.LinkMode;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.config.ConfigError;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.MeshOverrides;
import io.meshwork.launcher.PortInUseException;
import io.meshwork.launcher.RegionEndpoints;
import io.meshwork.launcher.internal.EdgeProcess;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import io.meshwork.launcher.internal.ExtraEdges;
import io.meshwork.launcher.internal.PortPlan;
import io.meshwork.launcher.internal.SecureMode;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
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

    @Option(names = "--edges", paramLabel = "N",
            description = "Edges per region (1..10, default 1). Edge k serves the region's HTTP, gRPC and MQTT ports plus k "
                    + "(us-east-1 edge 1: 18081, 18091, 11884); edges 1..N-1 run as child processes, so one can be killed alone.")
    int edgesPerRegion = 1;

    @Option(names = "--secure",
            description = "Serve TLS on every edge and control-plane port (https, wss, gRPC over TLS, MQTT over TLS) with a CA "
                    + "generated once under --secure-dir, and print the CA certificate's path.")
    boolean secure;

    @Option(names = "--secure-dir", paramLabel = "DIR",
            description = "Where --secure keeps its CA and server certificate (reused when present). Default: .mesh/secure.")
    Path secureDir = SecureMode.DEFAULT_DIR;

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
            description = "Send every trace hop to this OpenTelemetry collector as a span (OTLP/HTTP, e.g. http://localhost:4318; "
                    + "key control-plane.otlp.endpoint).")
    String otlpEndpoint;

    @Option(names = "--keys", paramLabel = "DIR",
            description = "With --secure: the token signing keys, the ones `mesh token --keys` signs with "
                    + "(default: ${DEFAULT-VALUE}; created on first use).")
    Path keysDir = io.meshwork.core.auth.SigningKeys.defaultDirectory();

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
        if (edgesPerRegion < 1 || edgesPerRegion > PortPlan.MAX_EDGES_PER_REGION) {
            System.err.println("mesh up: --edges must be within 1.." + PortPlan.MAX_EDGES_PER_REGION + ", got " + edgesPerRegion);
            return MeshCli.CONFIG_ERROR;
        }
        if (secure && edgesPerRegion > 1) {
            // The extra edges are child processes started without the TLS keys; refused rather than left plaintext.
            System.err.println("mesh up: --secure serves one edge per region; --edges " + edgesPerRegion + " is not supported with it yet");
            return MeshCli.CONFIG_ERROR;
        }
        MeshOverrides overrides = MeshOverrides.NONE;
        if (secure) {
            SecureMode mode;
            try {
                mode = SecureMode.prepare(secureDir, keysDir);
            } catch (RuntimeException e) {
                System.err.println("mesh up: --secure: " + e.getMessage());
                return MeshCli.CONFIG_ERROR;
            }
            overrides = mode.overrides();
            out.println("CA certificate: " + mode.caCertificate());
        }
        if (otlpEndpoint != null) {
            Map<String, String> controlPlane = new LinkedHashMap<>(overrides.controlPlane());
            controlPlane.put(ControlPlaneKeys.OTLP_ENDPOINT, otlpEndpoint);
            overrides = new MeshOverrides(overrides.edge(), controlPlane);
            try {
                ControlPlaneKeys.build(EmbeddedConfigs.of(ControlPlaneKeys.schema(), Map.of(ControlPlaneKeys.PORT, "0",
                        ControlPlaneKeys.OTLP_ENDPOINT, otlpEndpoint)));
            } catch (ConfigError e) {
                System.err.println("mesh up: --otlp-endpoint: " + e.getMessage());
                return MeshCli.CONFIG_ERROR;
            }
        }
        out.printf("Starting mesh '%s': %d regions, %d links%n", loaded.mesh(), loaded.regions().size(), loaded.links().size());
        long started = System.nanoTime();
        EmbeddedMesh mesh;
        try {
            PortPlan.checkFree(PortPlan.fixedPorts(loaded, edgesPerRegion));
            mesh = EmbeddedMesh.start(loaded, EmbeddedMesh.Ports.TOPOLOGY, linkMode, overrides,
                    (part, detail, took) -> out.printf("  ok  %-26s %-44s %s%n", part, detail, seconds(took)));
        } catch (PortInUseException e) {
            System.err.println("mesh up: " + e.getMessage() + ". Stop whatever holds it, or pass --topology with other ports.");
            return MeshCli.CONFIG_ERROR;
        }
        ExtraEdges extraEdges;
        try {
            extraEdges = startExtraEdges(loaded, mesh, out);
        } catch (RuntimeException | InterruptedException | TimeoutException e) {
            System.err.println("mesh up: the extra edges did not start: " + e.getMessage());
            mesh.close();
            return MeshCli.CONFIG_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Stopping the mesh...");
            extraEdges.close();
            mesh.close();
            out.println("Mesh stopped; temp directories removed.");
            stopped.countDown();
        }, "mesh-shutdown"));
        printEndpoints(out, loaded, mesh);
        printExtraEdges(out, loaded, extraEdges);
        out.printf("MESH READY in %s (Ctrl-C to stop)%n", seconds(Duration.ofNanos(System.nanoTime() - started)));
        out.flush();
        stopped.await();
        return 0;
    }

    private static void printEndpoints(PrintStream out, Topology topology, EmbeddedMesh mesh) {
        out.println();
        out.printf("  %-16s %-17s %-42s %-32s %-17s %-23s %s%n", "region", "kafka", "edge HTTP publish", "edge WebSocket", "edge gRPC",
                "edge MQTT", "edge AMQP");
        for (Region region : topology.regions()) {
            RegionEndpoints endpoints = mesh.region(region.name());
            out.printf("  %-16s %-17s %-42s %-32s %-17s %-23s %s%n", region.name(), endpoints.bootstrapServers(),
                    endpoints.httpUrl() + "/v1/events/publish", endpoints.streamUrl(), endpoints.grpcTarget(), endpoints.mqttUri(),
                    endpoints.amqpUri());
        }
        out.printf("  %-16s %s  (/v1/health, /v1/topology, /v1/brokers, /v1/rules, /v1/traces/{id}, /v1/ops/..., POST /v1/admin/links/{a}/{b}/cut|heal)%n",
                "control plane", mesh.controlPlaneUrl());
        out.println();
    }

    private ExtraEdges startExtraEdges(Topology loaded, EmbeddedMesh mesh, PrintStream out)
            throws InterruptedException, TimeoutException {
        long started = System.nanoTime();
        ExtraEdges edges = ExtraEdges.start(loaded, edgesPerRegion, region -> mesh.region(region).bootstrapServers(), topology.file,
                EmbeddedMesh.MQTT_SUBACK_HOLD, line -> {
                    if (verbose || !line.contains(" INFO ") && !line.contains(" DEBUG ")) {
                        out.println("  " + line);
                    }
                });
        if (edgesPerRegion > 1) {
            out.printf("  ok  %-26s %-44s %s%n", "extra edges", (edgesPerRegion - 1) + " per region, child processes",
                    seconds(Duration.ofNanos(System.nanoTime() - started)));
        }
        return edges;
    }

    private static void printExtraEdges(PrintStream out, Topology topology, ExtraEdges edges) {
        List<EdgeProcess> processes = edges.processes();
        if (processes.isEmpty()) {
            return;
        }
        out.printf("  %-22s %-8s %-32s %-17s %s%n", "extra edge", "pid", "edge WebSocket", "edge gRPC", "edge MQTT");
        int next = 0;
        for (Region region : topology.regions()) {
            for (int k = 1; next < processes.size() && processes.get(next).name().equals("edge " + region.name() + "#" + k); k++) {
                EdgeProcess.Ports ports = PortPlan.edgePorts(region, k);
                out.printf("  %-22s %-8d %-32s %-17s %s%n", region.name() + " #" + k, processes.get(next).pid(),
                        "ws://127.0.0.1:" + ports.http() + "/v1/stream", "127.0.0.1:" + ports.grpc(), "tcp://127.0.0.1:" + ports.mqtt());
                next++;
            }
        }
        out.println();
    }

    private static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
