package io.meshwork.launcher.cli;

import com.sun.net.httpserver.HttpServer;
import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicContractException;
import io.meshwork.core.kafka.SpoolRetention;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterConfig;
import io.meshwork.router.RouterKeys;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh router}: one region's router against an existing Kafka cluster, with Prometheus
 * {@code /metrics}. Its keys: {@code mesh config explain router}.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Run one region's router (Kafka Streams) against an existing Kafka cluster until stopped.")
final class RouterCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    TopologyOption topology;

    @Option(names = "--region", description = "Region this router serves, e.g. us-east-1 (key mesh.region).")
    String region;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "The region's Kafka bootstrap servers (key kafka.bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Local state, rebuilt from changelogs when lost (key router.state.dir).")
    Path stateDir;

    @Option(names = "--replication", description = "Replication factor of internal and created topics (key router.replication.factor).")
    Integer replication;

    @Option(names = "--metrics-port", description = "Port of GET /metrics (key router.metrics.port).")
    Integer metricsPort;

    @Option(names = "--spool-bytes", paramLabel = "BYTES", description = "Most bytes each link's spool keeps (key mesh.spool.bytes).")
    Long spoolBytes;

    @Option(names = "--spool-retention", paramLabel = "DURATION", description = "Longest an event waits in a spool (key mesh.spool.retention).")
    String spoolRetention;

    @Option(names = "--commit-interval", paramLabel = "DURATION", description = "How often the router commits (key router.commit.interval).")
    String commitInterval;

    @Option(names = "--num-stream-threads", description = "Kafka Streams threads (key router.num.stream.threads).")
    Integer numStreamThreads;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        MeshConfig config;
        RouterConfig settings;
        try {
            ConfigOptions.Loaded loaded = options.load(RouterKeys.schema(), loader -> loader
                    .flag(MeshKeys.TOPOLOGY, topology.file, "--topology")
                    .flag(MeshKeys.REGION, region, "--region")
                    .flag(KafkaClients.PREFIX + "bootstrap.servers", bootstrapServers, "--kafka")
                    .flag(RouterKeys.STATE_DIR, stateDir, "--state-dir")
                    .flag(RouterKeys.REPLICATION_FACTOR, replication, "--replication")
                    .flag(RouterKeys.METRICS_PORT, metricsPort, "--metrics-port")
                    .flag(MeshKeys.SPOOL_BYTES, spoolBytes, "--spool-bytes")
                    .flag(MeshKeys.SPOOL_RETENTION, spoolRetention, "--spool-retention")
                    .flag(RouterKeys.COMMIT_INTERVAL, commitInterval, "--commit-interval")
                    .flag(RouterKeys.NUM_STREAM_THREADS, numStreamThreads, "--num-stream-threads"), (first, topo) -> Map.of());
            config = loaded.config();
            String name = config.string(MeshKeys.REGION);
            settings = RouterKeys.build(config, loaded.topology().neighbours(name), loaded.topology().links());
            SpoolRetention spool = MeshKeys.spool(config);
            StartupChecks.cluster(config, settings.kafka(), KafkaClients.PREFIX);
            StartupChecks.contractTopics(config, settings.kafka(), "router " + name,
                    new TopicContract(name, settings.neighbours(), (short) settings.replicationFactor(), spool));
        } catch (ConfigError e) {
            System.err.println("mesh router: " + e.getMessage());
            return MeshCli.CONFIG_ERROR;
        } catch (TopicContractException | IllegalStateException e) {
            System.err.println("mesh router: " + e.getMessage());
            return MeshCli.TOPICS_ERROR;
        }
        HttpServer metrics = HttpServer.create(new InetSocketAddress(config.integer(RouterKeys.METRICS_PORT)), 0);
        metrics.createContext("/metrics", exchange -> {
            byte[] body = MeshMetrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", MeshMetrics.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metrics.start();
        MeshRouter router;
        try {
            router = MeshRouter.start(settings, Duration.ofMinutes(5));
        } catch (RuntimeException e) {
            metrics.stop(0);
            ConfigError rejected = StartupChecks.rejectedSetting(config, e, KafkaClients.PREFIX);
            if (rejected == null) {
                throw e;
            }
            System.err.println("mesh router: " + rejected.getMessage());
            return MeshCli.CONFIG_ERROR;
        }
        System.out.printf("ROUTER READY region=%s kafka=%s metrics=:%d%n", settings.region(), settings.bootstrapServers(),
                metrics.getAddress().getPort());
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
