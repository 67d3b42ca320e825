package io.meshwork.launcher.processes;

import static org.awaitility.Awaitility.await;

import io.meshwork.embedded.kafka.Ports;
import io.meshwork.launcher.processes.KafkaNodeProperties.Node;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of {@code n} KRaft nodes (combined broker and controller, a static quorum of
 * all of them), each its own JVM running {@code mesh kafka-server}, with its files under one
 * directory: {@code server-<id>.properties}, {@code logs-<id>/}, and each process's output.
 * Optionally the CLIENT listener takes SASL_PLAINTEXT with SCRAM-SHA-256 for one user, created
 * when the nodes are formatted; brokers talk to each other over a PLAINTEXT listener.
 *
 * <pre>{@code
 * try (KafkaProcessCluster cluster = KafkaProcessCluster.start("us-east-1", 3, Optional.empty(), dir)) {
 *     cluster.admin().createTopics(...);
 *     cluster.kill(2);
 * }
 * }</pre>
 */
final class KafkaProcessCluster implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(120);

    private final String name;
    private final List<Node> nodes;
    private final Optional<ScramUser> scram;
    private final List<ScramUser> otherUsers;
    private final boolean acls;
    private final Map<Integer, MeshServiceProcess> processes = new LinkedHashMap<>();
    private Admin admin;

    private KafkaProcessCluster(String name, List<Node> nodes, Optional<ScramUser> scram, List<ScramUser> otherUsers, boolean acls) {
        this.name = name;
        this.nodes = nodes;
        this.scram = scram;
        this.otherUsers = List.copyOf(otherUsers);
        this.acls = acls;
    }

    /**
     * Writes the nodes' configs, starts one process per node on free ports, and returns once
     * every broker is registered with the cluster.
     *
     * @param name usually the region, for file and process names
     */
    static KafkaProcessCluster start(String name, int brokers, Optional<ScramUser> scram, Path dir) {
        return start(new KafkaProcessCluster(name, nodes(brokers), scram, List.of(), false), dir);
    }

    /**
     * One node whose CLIENT listener takes SCRAM logins of {@code admin} and of {@code users}, with
     * KRaft's {@code StandardAuthorizer}: {@code admin} is a super user (and {@link #admin()}'s
     * login), the others may do only what ACLs grant them, which is nothing until granted.
     */
    static KafkaProcessCluster startWithAcls(String name, ScramUser admin, List<ScramUser> users, Path dir) {
        return start(new KafkaProcessCluster(name, nodes(1), Optional.of(admin), users, true), dir);
    }

    private static List<Node> nodes(int brokers) {
        List<Node> nodes = new ArrayList<>();
        for (int id = 1; id <= brokers; id++) {
            nodes.add(new Node(id, Ports.pickFree(), Ports.pickFree(), Ports.pickFree()));
        }
        return List.copyOf(nodes);
    }

    private static KafkaProcessCluster start(KafkaProcessCluster cluster, Path dir) {
        try {
            cluster.launch(dir);
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(Path dir) {
        String clusterId = Uuid.randomUuid().toString();
        for (Node node : nodes) {
            Path config = dir.resolve("server-" + node.nodeId() + ".properties");
            write(KafkaNodeProperties.of(node, nodes, dir.resolve("logs-" + node.nodeId()), scram.isPresent(),
                    acls ? scram : Optional.empty()), config);
            List<String> args = new ArrayList<>(List.of("kafka-server", "--config", config.toString(), "--format",
                    "--cluster-id", clusterId));
            scram.ifPresent(user -> args.addAll(List.of("--add-scram", user.formatArgument())));
            otherUsers.forEach(user -> args.addAll(List.of("--add-scram", user.formatArgument())));
            processes.put(node.nodeId(), MeshServiceProcess.start(name + "-kafka-" + node.nodeId(), dir, args));
        }
    }

    private void awaitReady() {
        processes.values().forEach(process -> process.awaitLine("KAFKA READY", READY));
        await("the " + nodes.size() + " brokers of " + name + " to register").atMost(READY).ignoreExceptions()
                .until(() -> admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == nodes.size());
    }

    private static void write(Map<String, String> props, Path file) {
        Properties properties = new Properties();
        properties.putAll(props);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + file.getParent(), e);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "a node of a KafkaProcessCluster");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    String name() {
        return name;
    }

    /** Every node's CLIENT listener, for {@code bootstrap.servers}. */
    String bootstrapServers() {
        return nodes.stream().map(Node::clientAddress).collect(Collectors.joining(","));
    }

    /** {@code bootstrap.servers}, and the SCRAM login when the cluster has one. */
    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        scram.ifPresent(user -> config.putAll(user.clientConfig()));
        return config;
    }

    /** An Admin client logged in as the cluster's user, created on first use, closed by {@link #close()}. */
    synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = clientConfig();
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-process-cluster-" + name);
            admin = Admin.create(config);
        }
        return admin;
    }

    List<Integer> nodeIds() {
        return nodes.stream().map(Node::nodeId).toList();
    }

    MeshServiceProcess process(int nodeId) {
        MeshServiceProcess process = processes.get(nodeId);
        if (process == null) {
            throw new IllegalArgumentException("Kafka cluster " + name + " has no node " + nodeId + "; it has " + nodeIds());
        }
        return process;
    }

    /** {@code kill -9} of one node. */
    void kill(int nodeId) throws InterruptedException {
        process(nodeId).kill();
    }

    /** Closes the admin client and stops every node at once. The files stay (the caller's directory). */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        MeshServiceProcess.stopAll(List.copyOf(processes.values()));
    }

    @Override
    public String toString() {
        return "KafkaProcessCluster[" + name + " @ " + bootstrapServers() + "]";
    }
}
