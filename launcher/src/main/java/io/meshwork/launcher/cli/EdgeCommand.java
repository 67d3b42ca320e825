package io.meshwork.launcher.cli;

import io.meshwork.core.kafka.SpoolRetention;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicContractException;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh edge}: one region's edge against an existing Kafka cluster (what each edge service
 * of docker-compose.yml runs). Creates the region's contract topics where missing.
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
        description = "Run one region's edge bridge against an existing Kafka cluster until stopped.")
final class EdgeCommand implements Callable<Integer> {

    @Mixin
    TopologyOption topology;

    @Option(names = "--region", required = true, description = "Region this edge serves, e.g. us-east-1.")
    String region;

    @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT", description = "The region's Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "HTTP bind address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP/WebSocket port (default: the region's port in the topology).")
    Integer port;

    @Option(names = "--replication", defaultValue = "1", description = "Replication factor of topics it creates (default: ${DEFAULT-VALUE}).")
    short replication;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        Topology loaded;
        List<String> neighbours;
        int httpPort;
        try {
            loaded = topology.load();
            neighbours = loaded.neighbours(region);
            httpPort = port != null ? port : loaded.region(region).ports().http();
        } catch (TopologyException | IllegalArgumentException e) {
            System.err.println("mesh edge: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicApplier(admin, region).apply(new TopicContract(region, neighbours, replication, SpoolRetention.SEED).topics(),
                    TopicApplier.Mode.CREATE_MISSING);
        } catch (TopicContractException | IllegalStateException e) {
            System.err.println("mesh edge: " + e.getMessage());
            return MeshCli.TOPICS_ERROR;
        }
        EdgeBridge edge = EdgeBridge.start(EdgeConfig.defaults(region, bootstrapServers).withHttp(host, httpPort)
                .withMeshRegions(java.util.Set.copyOf(loaded.regionNames())));
        System.out.printf("EDGE READY region=%s http=%s:%d kafka=%s%n", region, host, edge.httpPort(), bootstrapServers);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                edge.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "edge-shutdown"));
        stopped.await();
        return 0;
    }
}
