package io.meshwork.embedded.kafka;

import io.meshwork.embedded.TempDirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka cluster (KRaft, combined broker and controller, node id 1) running in
 * this JVM, with its log directory in a fresh temp directory that {@link #close()} deletes.
 *
 * <p>Clients connect to {@link #bootstrapServers()}, the {@code CLIENT} listener on 127.0.0.1.
 * Extra listeners ({@link KafkaClusterSpec#extraListeners()}) are bound at free ports and
 * advertised at the ports the spec names. The broker is tuned for tests and laptops (single
 * replicas, small internal topics, few threads, 4 MiB {@code message.max.bytes}); the spec's
 * broker overrides are applied last.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** Start attempts when a port the fixture picked itself is grabbed before Kafka binds it. */
    private static final int START_ATTEMPTS = 3;
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaClusterSpec spec;
    private final ClusterLayout layout;
    private final Path rootDir;
    private final KafkaRaftServer server;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Admin admin;

    private EmbeddedKafkaCluster(KafkaClusterSpec spec, ClusterLayout layout, Path rootDir, KafkaRaftServer server) {
        this.spec = spec;
        this.layout = layout;
        this.rootDir = rootDir;
        this.server = server;
    }

    /**
     * Formats a fresh log directory and starts the cluster; returns once the broker accepts
     * clients.
     *
     * @throws KafkaClusterStartException if the cluster cannot start, e.g. because the client
     *                                    port is already in use; nothing is left behind
     */
    public static EmbeddedKafkaCluster start(KafkaClusterSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.clientPort() != 0 && Ports.isTaken(spec.clientPort())) {
            throw portInUse(spec, null);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(spec);
            } catch (PortRaceException e) {
                if (attempt == START_ATTEMPTS) {
                    throw new KafkaClusterStartException("Kafka cluster " + spec.name()
                            + ": could not bind its listeners: " + bindFailureMessage(e.getCause()), e.getCause());
                }
                LOG.debug("Kafka cluster {}: a picked port was taken meanwhile, retrying with new ports", spec.name());
            }
        }
    }

    private static EmbeddedKafkaCluster startOnce(KafkaClusterSpec spec) {
        long startNanos = System.nanoTime();
        Path root = createRootDir(spec);
        KafkaRaftServer server = null;
        try {
            ClusterLayout layout = ClusterLayout.allocate(spec, root.resolve("kraft-logs"));
            Map<String, String> props = BrokerProperties.of(spec, layout);
            StorageFormatter.format(spec.name(), props, root.resolve("server.properties"));
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(spec, layout, root, server);
            LOG.info("Kafka cluster {} started on {} in {} ms", spec.name(), cluster.bootstrapServers(),
                    Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
            return cluster;
        } catch (RuntimeException | Error e) {
            stopQuietly(spec.name(), server);
            deleteQuietly(spec.name(), root, e);
            throw translate(spec, e);
        }
    }

    /** The cluster's name, as in the spec. */
    public String name() {
        return spec.name();
    }

    /** The spec the cluster was started from. */
    public KafkaClusterSpec spec() {
        return spec;
    }

    /** {@code 127.0.0.1:<port>} of the CLIENT listener, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + layout.clientPort();
    }

    /**
     * The port an extra listener is bound at (as opposed to the port it is advertised at).
     *
     * @throws IllegalArgumentException if the spec has no listener of that name
     */
    public int listenerPort(String extraListenerName) {
        Integer port = layout.extraBoundPorts().get(extraListenerName);
        if (port == null) {
            throw new IllegalArgumentException(
                    "Kafka cluster " + name() + " has no extra listener " + extraListenerName
                            + "; it has " + layout.extraBoundPorts().keySet());
        }
        return port;
    }

    /**
     * Creates a topic with single-replica partitions and waits until every partition has a
     * leader. Does nothing if the topic already exists with the same partition count.
     *
     * @throws IllegalStateException if the topic exists with another partition count, or creation
     *                               fails or times out
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        ensureOpen();
        new TopicCreator(spec.name(), admin()).create(name, partitions, configs);
    }

    /** An Admin client connected to the CLIENT listener, created on first use, closed by {@link #close()}. */
    public synchronized Admin admin() {
        ensureOpen();
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.CLIENT_ID_CONFIG, "meshwork-embedded-" + name() + "-admin"));
        }
        return admin;
    }

    /** Shuts the broker down cleanly and deletes its temp directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        synchronized (this) {
            if (admin != null) {
                admin.close(ADMIN_CLOSE_TIMEOUT);
            }
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            TempDirs.deleteRecursively(rootDir);
        }
        LOG.info("Kafka cluster {} stopped in {} ms", name(), Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }

    /** The temp directory holding the config and log dir; gone after {@link #close()}. */
    Path rootDir() {
        return rootDir;
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + name() + " @ " + bootstrapServers() + (closed.get() ? ", closed]" : "]");
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("Kafka cluster " + name() + " is closed");
        }
    }

    private static Path createRootDir(KafkaClusterSpec spec) {
        try {
            return Files.createTempDirectory("meshwork-kafka-" + spec.name() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka cluster " + spec.name() + ": cannot create a temp dir", e);
        }
    }

    private static RuntimeException translate(KafkaClusterSpec spec, Throwable e) {
        if (isBindFailure(e)) {
            if (spec.clientPort() != 0 && mentionsPort(e, spec.clientPort())) {
                return portInUse(spec, e);
            }
            return new PortRaceException(e);
        }
        if (e instanceof KafkaClusterStartException started) {
            return started;
        }
        if (e instanceof Error error) {
            throw error;
        }
        return new KafkaClusterStartException("Kafka cluster " + spec.name() + " failed to start: " + e.getMessage(), e);
    }

    private static KafkaClusterStartException portInUse(KafkaClusterSpec spec, Throwable cause) {
        return new KafkaClusterStartException(
                "Kafka cluster " + spec.name() + ": port " + spec.clientPort() + " is already in use", cause);
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Kafka's own message, which names the address ("Socket server failed to bind to ..."). */
    private static String bindFailureMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getCause() instanceof BindException) {
                return t.getMessage();
            }
        }
        return e.getMessage();
    }

    private static boolean mentionsPort(Throwable e, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && Pattern.compile(":" + port + "(?!\\d)").matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(String name, KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.debug("Kafka cluster {}: shutdown after failed start failed too: {}", name, e.toString());
        }
    }

    private static void deleteQuietly(String name, Path root, Throwable primary) {
        try {
            TempDirs.deleteRecursively(root);
        } catch (RuntimeException e) {
            primary.addSuppressed(e);
            LOG.warn("Kafka cluster {}: could not delete {} after a failed start", name, root);
        }
    }

    /** A port the fixture picked was bound by someone else before Kafka got to it. */
    private static final class PortRaceException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PortRaceException(Throwable cause) {
            super(cause);
        }
    }
}
