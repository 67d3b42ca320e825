package io.meshwork.launcher.cli;

import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.topology.RegionPorts;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mesh edge}: one region's edge against an existing Kafka cluster (what each edge service
 * of docker-compose.yml runs), serving HTTP + WebSocket, gRPC and MQTT. Creates the region's
 * contract topics where missing. Its keys: {@code mesh config explain edge}.
 */
@Command(name = "edge", mixinStandardHelpOptions = true,
        description = "Run one region's edge bridge against an existing Kafka cluster until stopped.")
final class EdgeCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    RegionOptions region;

    @Option(names = "--host", description = "Bind address (key edge.http.host, default 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP/WebSocket port (key edge.http.port; default: the region's port in the topology).")
    Integer port;

    @Option(names = "--grpc-port", paramLabel = "PORT", description = "gRPC port, -1 for none (key edge.grpc.port; default: the topology's).")
    Integer grpcPort;

    @Option(names = "--mqtt-port", paramLabel = "PORT", description = "MQTT port, -1 for none (key edge.mqtt.port; default: the topology's).")
    Integer mqttPort;

    @Option(names = "--amqp-port", paramLabel = "PORT", description = "AMQP 1.0 port, -1 for none (key edge.amqp.port; default: none).")
    Integer amqpPort;

    @Option(names = "--replication", description = "Replication factor of topics it creates (key edge.replication.factor, default 1).")
    Short replication;

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's and the libraries' own logging.")
    boolean verbose;

    @Option(names = "--exit-with-parent", hidden = true,
            description = "Stop (cleanly) when the process that started this one ends: `mesh up --edges N` runs extra edges so.")
    boolean exitWithParent;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        ServiceStart.Outcome<Started> started = ServiceStart.checked("mesh edge", this::start);
        if (started.stopped()) {
            return started.exitCode();
        }
        EdgeBridge edge = started.value().edge();
        EdgeConfig settings = started.value().settings();
        System.out.printf("EDGE READY region=%s http=%s:%d grpc=%s mqtt=%s amqp=%s kafka=%s%n", settings.region(), settings.httpHost(),
                edge.httpPort(), shown(edge.port("gRPC")), shown(edge.port("MQTT")), shown(edge.port("AMQP")), settings.bootstrapServers());
        CountDownLatch stopped = new CountDownLatch(1);
        if (exitWithParent) {
            // A launcher killed with -9 runs no shutdown hook: its edges must not outlive it.
            // Its Kafka usually went with it (the embedded mesh), so the clean stop gets 5 s, then the JVM halts.
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
                Thread halt = new Thread(() -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(0);
                }, "edge-halt-after-parent");
                halt.setDaemon(true);
                halt.start();
                System.out.println("mesh edge: the process that started this edge ended; stopping");
                System.exit(0);
            }));
        }
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

    /**
     * Loads the configuration, checks the cluster, creates missing contract topics and starts the edge.
     *
     * @throws ConfigError naming the source, key and problem of a configuration the edge cannot run with
     */
    Started start() throws Exception {
        ConfigOptions.Loaded loaded = options.load(EdgeKeys.schema(), loader -> region.aliases(loader)
                        .flag(EdgeKeys.HTTP_HOST, host, "--host")
                        .flag(EdgeKeys.HTTP_PORT, port, "--port")
                        .flag(EdgeKeys.GRPC_PORT, grpcPort, "--grpc-port")
                        .flag(EdgeKeys.MQTT_PORT, mqttPort, "--mqtt-port")
                        .flag(EdgeKeys.AMQP_PORT, amqpPort, "--amqp-port")
                        .flag(EdgeKeys.REPLICATION_FACTOR, replication, "--replication"),
                (first, topo) -> {
                    RegionPorts ports = topo.region(first.string(MeshKeys.REGION)).ports();
                    return Map.of(EdgeKeys.HTTP_PORT, Integer.toString(ports.http()),
                            EdgeKeys.GRPC_PORT, Integer.toString(ports.grpc()),
                            EdgeKeys.MQTT_PORT, Integer.toString(ports.mqtt()));
                });
        MeshConfig config = loaded.config();
        EdgeConfig settings = EdgeKeys.build(config, Set.copyOf(loaded.topology().regionNames()));
        StartupChecks.cluster(config, settings.kafka(), KafkaClients.PREFIX);
        StartupChecks.contractTopics(config, settings.kafka(), "edge " + settings.region(), new TopicContract(settings.region(),
                loaded.topology().neighbours(settings.region()), (Short) config.value(EdgeKeys.REPLICATION_FACTOR), MeshKeys.spool(config)));
        TlsSettings tls = EdgeKeys.tls(config);
        return ServiceStart.rejectingSettings(config, () -> new Started(EdgeBridge.start(settings, tls, EdgeKeys.auth(config),
                EdgeKeys.schemas(config)), settings));
    }

    /** A running edge and the settings it runs with. */
    record Started(EdgeBridge edge, EdgeConfig settings) {
    }

    private static String shown(OptionalInt port) {
        return port.isPresent() ? Integer.toString(port.getAsInt()) : "off";
    }
}
