package io.meshwork.launcher.cli;

import com.sun.net.httpserver.HttpServer;
import io.meshwork.core.kafka.SpoolRetention;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicContractException;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterConfig;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mesh router}: one region's router against an existing Kafka cluster, with Prometheus {@code /metrics}. */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Run one region's router (Kafka Streams) against an existing Kafka cluster until stopped.")
final class RouterCommand implements Callable<Integer> {

    @Mixin
    TopologyOption topology;

    @Option(names = "--region", required = true, description = "Region this router serves, e.g. us-east-1.")
    String region;

    @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT", description = "The region's Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "router-state",
            description = "Local state (RocksDB), rebuilt from changelogs when lost (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--replication", defaultValue = "1", description = "Replication factor of internal topics (default: ${DEFAULT-VALUE}).")
    int replication;

    @Option(names = "--metrics-port", defaultValue = "9464", description = "Port of GET /metrics (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Mixin
    SpoolOption spoolOption;

    @Option(names = "--commit-interval", paramLabel = "DURATION", defaultValue = "PT0.01S",
            description = "How often the router commits its transaction, ISO-8601; shorter adds less latency, longer drains a backlog faster (default: ${DEFAULT-VALUE}).")
    Duration commitInterval;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        RouterConfig config;
        SpoolRetention spool;
        try {
            spool = spoolOption.spool();
            Topology loaded = topology.load();
            loaded.region(region);
            config = new RouterConfig(region, bootstrapServers, loaded.neighbours(region), loaded.links(),
                    replication, stateDir, Duration.ofMillis(500)).withCommitInterval(commitInterval);
        } catch (TopologyException | IllegalArgumentException e) {
            System.err.println("mesh router: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            new TopicApplier(admin, region).apply(new TopicContract(region, config.neighbours(), (short) replication, spool).topics(),
                    TopicApplier.Mode.CREATE_MISSING);
        } catch (TopicContractException | IllegalStateException e) {
            System.err.println("mesh router: " + e.getMessage());
            return MeshCli.TOPICS_ERROR;
        }
        HttpServer metrics = HttpServer.create(new InetSocketAddress(metricsPort), 0);
        metrics.createContext("/metrics", exchange -> {
            byte[] body = MeshMetrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", MeshMetrics.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metrics.start();
        MeshRouter router = MeshRouter.start(config, Duration.ofMinutes(5));
        System.out.printf("ROUTER READY region=%s kafka=%s metrics=:%d%n", region, bootstrapServers, metrics.getAddress().getPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            router.close();
            metrics.stop(0);
            stopped.countDown();
        }, "router-shutdown"));
        stopped.await();
        return 0;
    }
}
