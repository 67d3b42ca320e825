package io.meshwork.launcher.cli;

import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.DatabaseSettings;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh control-plane}: the ops API on its own, for deployments outside the embedded mesh. */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
        description = "Run the control plane's ops API until stopped (no WAN emulator: links cannot be cut).")
final class ControlPlaneCommand implements Callable<Integer> {

    @Mixin
    TopologyOption topology;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Bind address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: the topology's controlPlane.port).")
    Integer port;

    @Option(names = "--database-url", paramLabel = "JDBC_URL",
            description = "PostgreSQL to keep the directory, rules and traces in (default: an embedded PostgreSQL).")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", defaultValue = "${env:MESH_DATABASE_USER}",
            description = "Database user (default: $MESH_DATABASE_USER).")
    String databaseUser;

    @Option(names = "--database-password", paramLabel = "PASSWORD", defaultValue = "${env:MESH_DATABASE_PASSWORD}",
            description = "Database password (default: $MESH_DATABASE_PASSWORD).")
    String databasePassword;

    @Option(names = "--kafka", paramLabel = "REGION=BOOTSTRAP",
            description = "A region's Kafka cluster, to read its heartbeats and traces and write routing rules (repeatable).")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, description = "Show the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        Topology loaded;
        try {
            loaded = topology.load();
        } catch (TopologyException e) {
            System.err.println("mesh control-plane: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        ControlPlaneConfig config;
        try {
            config = new ControlPlaneConfig(host, port != null ? port : loaded.controlPlanePort())
                    .withDatabase(databaseUrl == null ? DatabaseSettings.embedded()
                            : DatabaseSettings.external(databaseUrl, databaseUser, databasePassword))
                    .withRegionKafka(kafka);
        } catch (IllegalArgumentException e) {
            System.err.println("mesh control-plane: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        ControlPlane plane;
        try {
            plane = ControlPlane.start(config, loaded, null, List.of());
        } catch (IllegalStateException e) {
            System.err.println("mesh control-plane: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        System.out.printf("CONTROL PLANE READY http=%s:%d%n", host, plane.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.close();
            stopped.countDown();
        }, "control-plane-shutdown"));
        stopped.await();
        return 0;
    }
}
