package io.meshwork.embedded.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * One real Kafka node (KRaft) running in this JVM from a {@code server.properties} file, as
 * {@code kafka-server-start.sh} runs it; unlike {@link EmbeddedKafkaCluster} it leaves the config,
 * the ports and the log dirs (formatted beforehand: {@link StorageFormatter#formatIfNeeded}) to
 * the caller. {@code mesh kafka-server} runs one per process.
 */
public final class KafkaNode implements AutoCloseable {

    private final Path configFile;
    private final Properties properties;
    private final KafkaRaftServer server;

    private KafkaNode(Path configFile, Properties properties, KafkaRaftServer server) {
        this.configFile = configFile;
        this.properties = properties;
        this.server = server;
    }

    /**
     * Reads the config and starts the node; returns once its broker and controller are started.
     *
     * @throws KafkaClusterStartException naming the file, if it cannot be read, Kafka rejects a
     *                                    setting, or the node fails to start (a port in use, unformatted log dirs)
     */
    public static KafkaNode start(Path configFile) {
        Objects.requireNonNull(configFile, "configFile");
        if (!Files.isRegularFile(configFile)) {
            throw new KafkaClusterStartException(configFile + ": no such file");
        }
        Properties properties;
        KafkaRaftServer server;
        try {
            properties = Utils.loadProps(configFile.toString());
            server = new KafkaRaftServer(new KafkaConfig(properties, false), Time.SYSTEM);
        } catch (IOException | RuntimeException e) {
            throw new KafkaClusterStartException(configFile + ": " + e.getMessage(), e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            throw new KafkaClusterStartException("Kafka node " + properties.getProperty("node.id") + " (" + configFile
                    + ") failed to start: " + e.getMessage(), e);
        }
        return new KafkaNode(configFile, properties, server);
    }

    /** {@code node.id} from the config. */
    public String nodeId() {
        return properties.getProperty("node.id");
    }

    /** {@code listeners} from the config. */
    public String listeners() {
        return properties.getProperty("listeners");
    }

    /** Blocks until the node has shut down (after {@link #close()}, or when Kafka stops it itself). */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Shuts the node down cleanly: a broker hands its partition leadership over before it leaves. */
    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    @Override
    public String toString() {
        return "KafkaNode[" + nodeId() + " from " + configFile + "]";
    }
}
