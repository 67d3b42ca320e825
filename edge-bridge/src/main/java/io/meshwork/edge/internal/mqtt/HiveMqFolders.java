package io.meshwork.edge.internal.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.meshwork.edge.MqttSessionSettings;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folders one embedded broker instance owns (configuration, data, extensions), in a temp
 * directory of their own so that instances in one JVM never share a file, and the
 * {@code config.xml} the edge runs HiveMQ with. With {@code edge.mqtt.data.dir} the data folder is
 * that directory instead: HiveMQ keeps its sessions there in files, and it outlives the broker.
 */
final class HiveMqFolders implements AutoCloseable {

    final Path root;
    final Path config;
    final Path data;
    final Path extensions;
    private final boolean persistent;

    private HiveMqFolders(Path root, Path dataDir) throws IOException {
        this.root = root;
        this.config = Files.createDirectory(root.resolve("conf"));
        this.persistent = dataDir != null;
        this.data = persistent ? Files.createDirectories(dataDir) : Files.createDirectory(root.resolve("data"));
        this.extensions = Files.createDirectory(root.resolve("extensions"));
    }

    static HiveMqFolders create(String region) throws IOException {
        return create(region, null);
    }

    /** @param dataDir where HiveMQ keeps its data in files across restarts; {@code null}: in memory, in the temp folder */
    static HiveMqFolders create(String region, Path dataDir) throws IOException {
        Path root = Files.createTempDirectory("meshwork-mqtt-" + region + "-");
        try {
            return new HiveMqFolders(root, dataDir);
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
    }

    /**
     * Writes {@code config.xml}: one TCP listener, in-memory persistence, no usage statistics
     * (the broker must not call home), retained messages on (the mesh fills the broker's store from
     * {@code mesh.retained}; a client's retained PUBLISH never reaches it directly) and QoS 2 at
     * most (a PUBREC waits for Kafka's ack and each edge hands an event to its broker once, see
     * {@link Qos2Receipts} and {@link HandedOver}).
     */
    void writeConfig(String host, int port, int maxPacketSize) throws IOException {
        writeConfig(host, port, maxPacketSize, MqttSessionSettings.DEFAULTS);
    }

    /**
     * As {@link #writeConfig(String, int, int)}, with each session's queue limit and overflow
     * strategy from {@code sessions}, and file persistence when this instance has a data directory.
     */
    void writeConfig(String host, int port, int maxPacketSize, MqttSessionSettings sessions) throws IOException {
        writeConfig(host, port, maxPacketSize, sessions, io.meshwork.core.tls.TlsSettings.OFF);
    }

    /** As above, with a TLS listener instead of the TCP one when {@code tls} is on (see {@link MqttTlsListener}). */
    void writeConfig(String host, int port, int maxPacketSize, MqttSessionSettings sessions, io.meshwork.core.tls.TlsSettings tls)
            throws IOException {
        String xml = """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                %s
                  </listeners>
                  <mqtt>
                    <retained-messages><enabled>true</enabled></retained-messages>
                    <quality-of-service><max-qos>2</max-qos></quality-of-service>
                    <packets><max-packet-size>%d</max-packet-size></packets>
                    <queued-messages><max-queue-size>%d</max-queue-size><strategy>%s</strategy></queued-messages>
                  </mqtt>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <persistence><mode>%s</mode></persistence>
                </hivemq>
                """.formatted(MqttTlsListener.xml(host, port, tls), maxPacketSize, sessions.maxQueuedMessages(), sessions.overflow().value(),
                persistent ? "file" : "in-memory");
        Files.writeString(config.resolve("config.xml"), xml, StandardCharsets.UTF_8);
        if (tls.enabled()) {
            MqttTlsListener.ownerOnly(config.resolve("config.xml")); // it holds the stores' passwords
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Deletes the folders and everything in them. */
    @Override
    public void close() {
        delete(root); // the data directory, when configured, is elsewhere and stays
    }

    private static void delete(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
