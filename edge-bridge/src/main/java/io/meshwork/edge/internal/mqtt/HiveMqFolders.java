package io.meshwork.edge.internal.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folders one embedded broker instance owns (configuration, data, extensions), in a temp
 * directory of their own so that instances in one JVM never share a file, and the
 * {@code config.xml} the edge runs HiveMQ with.
 */
final class HiveMqFolders implements AutoCloseable {

    final Path root;
    final Path config;
    final Path data;
    final Path extensions;

    private HiveMqFolders(Path root) throws IOException {
        this.root = root;
        this.config = Files.createDirectory(root.resolve("conf"));
        this.data = Files.createDirectory(root.resolve("data"));
        this.extensions = Files.createDirectory(root.resolve("extensions"));
    }

    static HiveMqFolders create(String region) throws IOException {
        Path root = Files.createTempDirectory("meshwork-mqtt-" + region + "-");
        try {
            return new HiveMqFolders(root);
        } catch (IOException | RuntimeException e) {
            delete(root);
            throw e;
        }
    }

    /**
     * Writes {@code config.xml}: one TCP listener, in-memory persistence, no usage statistics
     * (the broker must not call home), retained messages on (the mesh fills the broker's store from
     * {@code mesh.retained}; a client's retained PUBLISH never reaches it directly) and QoS 1 at most (delivery through Kafka is at-least-once, so QoS 2 would be a
     * promise the mesh cannot keep). MQTT 5 clients learn both limits from the CONNACK.
     */
    void writeConfig(String host, int port, int maxPacketSize) throws IOException {
        String xml = """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                  </listeners>
                  <mqtt>
                    <retained-messages><enabled>true</enabled></retained-messages>
                    <quality-of-service><max-qos>1</max-qos></quality-of-service>
                    <packets><max-packet-size>%d</max-packet-size></packets>
                  </mqtt>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(port, escape(host), maxPacketSize);
        Files.writeString(config.resolve("config.xml"), xml, StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Deletes the folders and everything in them. */
    @Override
    public void close() {
        delete(root);
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
