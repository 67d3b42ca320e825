package io.meshwork.edge.mqtt.interop;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HiveMQ CE on its own, the same version the edge embeds, as the reference broker of the
 * interoperability suite: HiveMQ's defaults (retained messages on, QoS 2, topic aliases, shared
 * subscriptions) except in-memory persistence (the edge's build leaves the file store out) and no
 * usage statistics. {@code mqttSettings} is XML put inside {@code <mqtt>}, for a broker that lacks
 * a feature on purpose.
 */
public final class StandaloneHiveMq implements AutoCloseable {

    private final Path root;
    private final EmbeddedHiveMQ broker;
    private final int port;

    private StandaloneHiveMq(Path root, EmbeddedHiveMQ broker, int port) {
        this.root = root;
        this.broker = broker;
        this.port = port;
    }

    public static StandaloneHiveMq start() throws Exception {
        return start("");
    }

    public static StandaloneHiveMq start(String mqttSettings) throws Exception {
        Path root = Files.createTempDirectory("hivemq-alone-");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path conf = Files.createDirectory(root.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                  <mqtt>%s</mqtt>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(port, mqttSettings), StandardCharsets.UTF_8);
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectory(root.resolve("data")))
                .withExtensionsFolder(Files.createDirectory(root.resolve("extensions")))
                .withoutLoggingBootstrap()
                .build();
        try {
            broker.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            broker.close();
            delete(root);
            throw e;
        }
        return new StandaloneHiveMq(root, broker, port);
    }

    public BrokerAddress address() {
        return new BrokerAddress("127.0.0.1", port);
    }

    @Override
    public void close() throws Exception {
        try {
            broker.stop().get(30, TimeUnit.SECONDS);
            broker.close();
        } finally {
            delete(root);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
