package io.meshwork.embedded.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Formats KRaft log directories, as {@code kafka-storage.sh format} would. */
public final class StorageFormatter {

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
        run("Kafka cluster " + clusterName, List.of("format", "--cluster-id", clusterId, "--config", configFile.toString()));
        return clusterId;
    }

    /**
     * Formats the log dirs that an existing {@code server.properties} names, leaving dirs that are
     * formatted already as they are (so a broker process can format on every start).
     *
     * @param clusterId        the cluster's id, the same for every node of the cluster
     *                         ({@link Uuid#toString()} form, 22 characters)
     * @param scramCredentials credentials to create with the cluster, in {@code kafka-storage.sh}'s
     *                         form {@code SCRAM-SHA-256=[name=alice,password=secret]}; never logged
     * @return what the formatter printed
     * @throws KafkaClusterStartException naming the file, if formatting fails
     */
    public static String formatIfNeeded(Path configFile, String clusterId, List<String> scramCredentials) {
        List<String> args = new ArrayList<>(List.of("format", "--ignore-formatted", "--cluster-id", clusterId,
                "--config", configFile.toString()));
        for (String credential : scramCredentials) {
            args.add("--add-scram");
            args.add(credential);
        }
        return run("Kafka config " + configFile, args);
    }

    private static String run(String what, List<String> args) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        // execute(...) rather than main(...): main ends in System.exit.
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(args.toArray(String[]::new), out);
        } catch (RuntimeException e) {
            throw new KafkaClusterStartException(what + ": formatting the log dir failed: " + e.getMessage(), e);
        }
        String printed = output.toString(StandardCharsets.UTF_8).trim();
        if (rc != 0) {
            throw new KafkaClusterStartException(what + ": formatting the log dir failed (rc=" + rc + "): " + printed);
        }
        LOG.debug("{}: {}", what, printed);
        return printed;
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
