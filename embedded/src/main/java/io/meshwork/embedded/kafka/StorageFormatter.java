package io.meshwork.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats a fresh KRaft log directory, as {@code kafka-storage.sh format} would. */
final class StorageFormatter {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFormatter.class);

    private StorageFormatter() {
    }

    /**
     * Writes the broker properties to {@code configFile} and formats the log dir they name.
     *
     * @return the new cluster id
     */
    static String format(String clusterName, Map<String, String> brokerProps, Path configFile) {
        writeProperties(brokerProps, configFile);
        String clusterId = Uuid.randomUuid().toString();
        String[] args = {"format", "--cluster-id", clusterId, "--config", configFile.toString()};
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        // execute(...) rather than main(...): main ends in System.exit.
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args, out);
        } catch (RuntimeException e) {
            throw new KafkaClusterStartException(
                    "Kafka cluster " + clusterName + ": formatting the log dir failed: " + e.getMessage(), e);
        }
        String printed = output.toString(StandardCharsets.UTF_8).trim();
        if (rc != 0) {
            throw new KafkaClusterStartException(
                    "Kafka cluster " + clusterName + ": formatting the log dir failed (rc=" + rc + "): " + printed);
        }
        LOG.debug("Kafka cluster {}: {}", clusterName, printed);
        return clusterId;
    }

    private static void writeProperties(Map<String, String> brokerProps, Path file) {
        Properties props = new Properties();
        props.putAll(brokerProps);
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "meshwork embedded Kafka broker");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
