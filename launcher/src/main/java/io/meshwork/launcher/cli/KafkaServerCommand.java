package io.meshwork.launcher.cli;

import io.meshwork.embedded.kafka.KafkaClusterStartException;
import io.meshwork.embedded.kafka.KafkaNode;
import io.meshwork.embedded.kafka.StorageFormatter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mesh kafka-server}: one real Kafka node (KRaft) in this JVM from a {@code server.properties},
 * as {@code kafka-server-start.sh} would run it, for users and tests that want broker processes
 * without a Kafka distribution: the launcher's classpath already holds Kafka's jars. With
 * {@code --format} it first formats the log dirs where they are not formatted yet, optionally
 * creating SCRAM credentials, as {@code kafka-storage.sh format} would.
 */
@Command(name = "kafka-server", mixinStandardHelpOptions = true,
        description = "Run one Kafka node (KRaft) from a server.properties until stopped, formatting its storage first with --format.")
final class KafkaServerCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's server.properties.")
    Path config;

    @Option(names = "--format", description = "Format the log dirs first where they are not formatted yet (needs --cluster-id).")
    boolean format;

    @Option(names = "--cluster-id", paramLabel = "ID",
            description = "The cluster id to format with, the same on every node (e.g. from `kafka-storage.sh random-uuid`).")
    String clusterId;

    @Option(names = "--add-scram", paramLabel = "CREDENTIAL",
            description = "A SCRAM credential to create when formatting, e.g. 'SCRAM-SHA-256=[name=alice,password=secret]' (repeatable).")
    List<String> scramCredentials = new ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Show Kafka's own logging.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Logging.configure(verbose);
        if (!Files.isRegularFile(config)) {
            return configError(config + ": no such file");
        }
        if (!format && (clusterId != null || !scramCredentials.isEmpty())) {
            return configError("--cluster-id and --add-scram only apply with --format");
        }
        KafkaNode node;
        try {
            if (format) {
                if (clusterId == null) {
                    return configError("--format needs --cluster-id");
                }
                StorageFormatter.formatIfNeeded(config, clusterId, scramCredentials);
            }
            node = KafkaNode.start(config);
        } catch (KafkaClusterStartException e) {
            return configError(e.getMessage());
        }
        System.out.printf("KAFKA READY node=%s listeners=%s config=%s%n", node.nodeId(), node.listeners(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "kafka-server-shutdown"));
        stopped.await();
        return 0;
    }

    private static int configError(String message) {
        System.err.println("mesh kafka-server: " + message);
        return MeshCli.CONFIG_ERROR;
    }
}
