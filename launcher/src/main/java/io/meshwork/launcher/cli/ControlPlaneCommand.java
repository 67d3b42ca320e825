package io.meshwork.launcher.cli;

import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh control-plane}: the ops API on its own, for deployments outside the embedded mesh.
 * Its keys: {@code mesh config explain control-plane}.
 */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
        description = "Run the control plane's ops API until stopped (no WAN emulator: links cannot be cut).")
final class ControlPlaneCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    TopologyOption topology;

    @Option(names = "--host", description = "Bind address (key control-plane.host, default 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (key control-plane.port; default: the topology's controlPlane.port).")
    Integer port;

    @Option(names = "--database-url", paramLabel = "JDBC_URL",
            description = "PostgreSQL for the directory, rules and traces (key control-plane.database.url; default: an embedded one).")
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", description = "Database user (key control-plane.database.user).")
    String databaseUser;

    @Option(names = "--database-password", paramLabel = "PASSWORD",
            description = "Database password (key control-plane.database.password; better: MESH_CONTROL_PLANE_DATABASE_PASSWORD).")
    String databasePassword;

    @Option(names = "--kafka", paramLabel = "REGION=BOOTSTRAP",
            description = "A region's Kafka cluster (key control-plane.regions.<region>.kafka.bootstrap.servers; repeatable).")
    Map<String, String> kafka = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, description = "Show the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        ControlPlaneConfig config;
        Topology loadedTopology;
        TlsSettings tls;
        io.meshwork.core.auth.AuthSettings auth;
        try {
            ConfigOptions.Loaded loaded = options.load(ControlPlaneKeys.schema(), this::aliases,
                    (first, topo) -> Map.of(ControlPlaneKeys.PORT, Integer.toString(topo.controlPlanePort())));
            MeshConfig settings = loaded.config();
            loadedTopology = loaded.topology();
            config = ControlPlaneKeys.build(settings);
            tls = ControlPlaneKeys.tls(settings);
            auth = ControlPlaneKeys.auth(settings);
            config.regionKafka().forEach((region, clients) ->
                    StartupChecks.cluster(settings, clients, ControlPlaneKeys.REGIONS.key(region, "")));
        } catch (ConfigError e) {
            System.err.println("mesh control-plane: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        ControlPlane plane;
        try {
            plane = ControlPlane.start(config, loadedTopology, null, List.of(), tls, auth);
        } catch (IllegalStateException e) {
            System.err.println("mesh control-plane: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        System.out.printf("CONTROL PLANE READY %s=%s:%d%n", tls.enabled() ? "https" : "http", config.host(), plane.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.close();
            stopped.countDown();
        }, "control-plane-shutdown"));
        stopped.await();
        return 0;
    }

    private void aliases(ConfigLoader loader) {
        loader.flag(MeshKeys.TOPOLOGY, topology.file, "--topology")
                .flag(ControlPlaneKeys.HOST, host, "--host")
                .flag(ControlPlaneKeys.PORT, port, "--port")
                .flag(ControlPlaneKeys.DATABASE_URL, databaseUrl, "--database-url")
                .flag(ControlPlaneKeys.DATABASE_USER, databaseUser, "--database-user")
                .flag(ControlPlaneKeys.DATABASE_PASSWORD, databasePassword, "--database-password");
        kafka.forEach((region, bootstrap) ->
                loader.flag(ControlPlaneKeys.REGIONS.key(region, "bootstrap.servers"), bootstrap, "--kafka"));
    }
}
