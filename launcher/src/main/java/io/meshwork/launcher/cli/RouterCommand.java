package io.meshwork.launcher.cli;

import com.sun.net.httpserver.HttpServer;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.kafka.TopicContract;
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
    RegionOptions region;

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
        ServiceStart.Outcome<Checked> checked = ServiceStart.checked("mesh router", () -> {
            ConfigOptions.Loaded loaded = options.load(RouterKeys.schema(), loader -> region.aliases(loader)
                    .flag(RouterKeys.STATE_DIR, stateDir, "--state-dir")
                    .flag(RouterKeys.REPLICATION_FACTOR, replication, "--replication")
                    .flag(RouterKeys.METRICS_PORT, metricsPort, "--metrics-port")
                    .flag(MeshKeys.SPOOL_BYTES, spoolBytes, "--spool-bytes")
                    .flag(MeshKeys.SPOOL_RETENTION, spoolRetention, "--spool-retention")
                    .flag(RouterKeys.COMMIT_INTERVAL, commitInterval, "--commit-interval")
                    .flag(RouterKeys.NUM_STREAM_THREADS, numStreamThreads, "--num-stream-threads"), (first, topo) -> Map.of());
            MeshConfig config = loaded.config();
            String name = config.string(MeshKeys.REGION);
            RouterConfig settings = RouterKeys.build(config, loaded.topology().neighbours(name), loaded.topology().links());
            SpoolRetention spool = MeshKeys.spool(config);
            StartupChecks.cluster(config, settings.kafka(), KafkaClients.PREFIX);
            StartupChecks.contractTopics(config, settings.kafka(), "router " + name,
                    new TopicContract(name, settings.neighbours(), (short) settings.replicationFactor(), spool));
            return new Checked(config, settings);
        });
        if (checked.stopped()) {
            return checked.exitCode();
        }
        MeshConfig config = checked.value().config();
        RouterConfig settings = checked.value().settings();
        HttpServer metrics = HttpServer.create(new InetSocketAddress(config.integer(RouterKeys.METRICS_PORT)), 0);
        metrics.createContext("/metrics", exchange -> {
            byte[] body = MeshMetrics.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", MeshMetrics.CONTENT_TYPE);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        metrics.start();
        ServiceStart.Outcome<MeshRouter> started;
        try {
            started = ServiceStart.started("mesh router", config, () -> MeshRouter.start(settings, Duration.ofMinutes(5)));
        } catch (RuntimeException e) {
            metrics.stop(0);
            throw e;
        }
        if (started.stopped()) {
            metrics.stop(0);
            return started.exitCode();
        }
        MeshRouter router = started.value();
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

    /** The router's configuration, checked against its cluster. */
    private record Checked(MeshConfig config, RouterConfig settings) {
    }
}
