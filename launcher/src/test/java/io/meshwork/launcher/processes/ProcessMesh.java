package io.meshwork.launcher.processes;

import io.meshwork.embedded.kafka.Ports;
import io.meshwork.topology.Link;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The embedded mesh's three regions as separate processes: one {@link KafkaProcessCluster} per
 * region (as many brokers as asked), per region a router, the links and an edge, and a control
 * plane, each its own JVM started with {@code mesh router|links|edge|control-plane --config FILE}, from YAML files
 * written for the processes' free ports (and a topology file with them). A region may require
 * SASL/SCRAM on its client listener: every service that talks to its cluster then logs in through
 * its {@code kafka.*} (or neighbour's / region's) keys. Everything lives under one directory:
 * configs, Kafka logs, router state, and every process's stdout and stderr.
 */
final class ProcessMesh implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);

    private final Path dir;
    private final Topology topology;
    private final Path topologyFile;
    private final Map<String, KafkaProcessCluster> clusters;
    private final List<MeshServiceProcess> services = new ArrayList<>();

    private ProcessMesh(Path dir, Topology topology, Path topologyFile, Map<String, KafkaProcessCluster> clusters) {
        this.dir = dir;
        this.topology = topology;
        this.topologyFile = topologyFile;
        this.clusters = clusters;
    }

    /**
     * Starts the clusters (in parallel), then every region's router, then the links and the
     * edges, and returns once each has printed its READY line.
     *
     * @param brokers brokers per region; a region it does not name gets one
     * @param scram   regions whose client listener requires SASL/SCRAM, with their user
     */
    static ProcessMesh start(Path dir, Map<String, Integer> brokers, Map<String, ScramUser> scram) {
        Topology layout = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
        Map<String, CompletableFuture<KafkaProcessCluster>> starting = new LinkedHashMap<>();
        for (String region : layout.regionNames()) {
            starting.put(region, CompletableFuture.supplyAsync(() -> KafkaProcessCluster.start(region,
                    brokers.getOrDefault(region, 1), Optional.ofNullable(scram.get(region)), dir.resolve(region))));
        }
        Map<String, KafkaProcessCluster> clusters = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (var entry : starting.entrySet()) {
            try {
                clusters.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                failure = failure == null ? new IllegalStateException("Kafka cluster " + entry.getKey() + " did not start", e.getCause()) : failure;
            }
        }
        if (failure != null) {
            clusters.values().forEach(KafkaProcessCluster::close);
            throw failure;
        }
        Path topologyFile = dir.resolve("topology.yaml");
        Topology topology = writeTopology(layout, clusters, topologyFile);
        ProcessMesh mesh = new ProcessMesh(dir, topology, topologyFile, clusters);
        try {
            List<MeshServiceProcess> routers = topology.regionNames().stream().map(region -> mesh.startRouter(region, 1)).toList();
            routers.forEach(router -> router.awaitLine("ROUTER READY", READY));
            List<MeshServiceProcess> rest = new ArrayList<>();
            for (String region : topology.regionNames()) {
                rest.add(mesh.startLinks(region));
                rest.add(mesh.startEdge(region));
            }
            MeshServiceProcess controlPlane = mesh.startControlPlane();
            rest.forEach(process -> process.awaitLine(process.name().endsWith("-edge") ? "EDGE READY" : "LINKS READY", READY));
            controlPlane.awaitLine("CONTROL PLANE READY", READY);
            return mesh;
        } catch (RuntimeException | Error e) {
            mesh.close();
            throw e;
        }
    }

    /** The embedded topology's regions and links, with each region's ports replaced by free ones (Kafka: its first broker). */
    private static Topology writeTopology(Topology layout, Map<String, KafkaProcessCluster> clusters, Path file) {
        StringBuilder yaml = new StringBuilder("mesh: meshwork-processes\ncontrolPlane:\n  port: " + Ports.pickFree() + "\nregions:\n");
        for (Region region : layout.regions()) {
            String firstBroker = clusters.get(region.name()).bootstrapServers().split(",")[0];
            yaml.append("  - name: ").append(region.name()).append("\n    ports: { kafka: ")
                    .append(firstBroker.substring(firstBroker.lastIndexOf(':') + 1)).append(", http: ").append(Ports.pickFree())
                    .append(", grpc: ").append(Ports.pickFree()).append(", mqtt: ").append(Ports.pickFree()).append(" }\n");
        }
        yaml.append("links:\n");
        for (Link link : layout.links()) {
            yaml.append("  - between: [").append(link.a()).append(", ").append(link.b()).append("]\n    rttMs: ")
                    .append(link.rtt().toMillis()).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return TopologyLoader.load(file);
    }

    /**
     * Starts router {@code instance} of {@code region} (its own state dir and metrics port); does
     * not wait for it.
     */
    MeshServiceProcess startRouter(String region, int instance) {
        Map<String, Object> keys = regionKeys(region);
        keys.put("router.replication.factor", replication(region));
        keys.put("router.state.dir", dir.resolve(region).resolve("router-" + instance + "-state"));
        keys.put("router.metrics.port", Ports.pickFree());
        return launchFromFile(region + "-router-" + instance, "router", keys);
    }

    private MeshServiceProcess startLinks(String region) {
        Map<String, Object> keys = regionKeys(region);
        keys.put("links.replication.factor", replication(region));
        for (String neighbour : topology.neighbours(region)) {
            keys.putAll(ServiceConfigFile.prefixed("links.neighbours." + neighbour + ".kafka.", cluster(neighbour).clientConfig()));
        }
        return launchFromFile(region + "-links", "links", keys);
    }

    private MeshServiceProcess startEdge(String region) {
        Map<String, Object> keys = regionKeys(region);
        keys.put("edge.http.host", "127.0.0.1");
        keys.put("edge.replication.factor", replication(region));
        return launchFromFile(region + "-edge", "edge", keys);
    }

    private MeshServiceProcess startControlPlane() {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("mesh.topology", topologyFile);
        keys.put("control-plane.host", "127.0.0.1");
        for (String region : topology.regionNames()) {
            keys.putAll(ServiceConfigFile.prefixed("control-plane.regions." + region + ".kafka.", cluster(region).clientConfig()));
        }
        return launchFromFile("control-plane", "control-plane", keys);
    }

    /** The keys every service of {@code region} has: region, topology and its cluster's client settings (SCRAM login included). */
    private Map<String, Object> regionKeys(String region) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("mesh.region", region);
        keys.put("mesh.topology", topologyFile);
        keys.putAll(ServiceConfigFile.prefixed("kafka.", cluster(region).clientConfig()));
        return keys;
    }

    private MeshServiceProcess launchFromFile(String name, String service, Map<String, Object> keys) {
        Path file = ServiceConfigFile.write(dir.resolve("config").resolve(name + ".yaml"), keys);
        return launch(name, List.of(service, "--config", file.toString()));
    }

    private synchronized MeshServiceProcess launch(String name, List<String> args) {
        MeshServiceProcess process = MeshServiceProcess.start(name, dir.resolve("services"), args);
        services.add(process);
        return process;
    }

    private int replication(String region) {
        return Math.min(3, cluster(region).nodeIds().size());
    }

    KafkaProcessCluster cluster(String region) {
        KafkaProcessCluster cluster = clusters.get(region);
        if (cluster == null) {
            throw new IllegalArgumentException("no region " + region + " in this mesh; it has " + clusters.keySet());
        }
        return cluster;
    }

    Topology topology() {
        return topology;
    }

    String httpUrl(String region) {
        return "http://127.0.0.1:" + topology.region(region).ports().http();
    }

    String streamUrl(String region) {
        return "ws://127.0.0.1:" + topology.region(region).ports().http() + "/v1/stream";
    }

    String controlPlaneUrl() {
        return "http://127.0.0.1:" + topology.controlPlanePort();
    }

    /** Stops the services (all at once), then the clusters. Files stay in the directory. */
    @Override
    public synchronized void close() {
        MeshServiceProcess.stopAll(List.copyOf(services));
        clusters.values().forEach(KafkaProcessCluster::close);
    }
}
