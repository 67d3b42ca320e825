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
 * plane, each its own JVM started with {@code mesh router|links|edge|control-plane} flags against a topology file written with
 * the processes' free ports. Everything lives under one directory: configs, Kafka logs, router
 * state, and every process's stdout and stderr.
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
     */
    static ProcessMesh start(Path dir, Map<String, Integer> brokers) {
        Topology layout = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);
        Map<String, CompletableFuture<KafkaProcessCluster>> starting = new LinkedHashMap<>();
        for (String region : layout.regionNames()) {
            starting.put(region, CompletableFuture.supplyAsync(() -> KafkaProcessCluster.start(region,
                    brokers.getOrDefault(region, 1), Optional.empty(), dir.resolve(region))));
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
            List<String> plane = new ArrayList<>(List.of("control-plane", "--topology", topologyFile.toString(), "--host", "127.0.0.1"));
            topology.regionNames().forEach(region -> plane.addAll(List.of("--kafka", region + "=" + clusters.get(region).bootstrapServers())));
            MeshServiceProcess controlPlane = mesh.launch("control-plane", plane);
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
        return launch(region + "-router-" + instance, List.of("router", "--topology", topologyFile.toString(),
                "--region", region, "--kafka", cluster(region).bootstrapServers(),
                "--replication", Integer.toString(replication(region)),
                "--state-dir", dir.resolve(region).resolve("router-" + instance + "-state").toString(),
                "--metrics-port", Integer.toString(Ports.pickFree())));
    }

    private MeshServiceProcess startLinks(String region) {
        List<String> args = new ArrayList<>(List.of("links", "--topology", topologyFile.toString(),
                "--region", region, "--kafka", cluster(region).bootstrapServers()));
        for (String neighbour : topology.neighbours(region)) {
            args.addAll(List.of("--neighbour", neighbour + "=" + cluster(neighbour).bootstrapServers()));
        }
        return launch(region + "-links", args);
    }

    private MeshServiceProcess startEdge(String region) {
        return launch(region + "-edge", List.of("edge", "--topology", topologyFile.toString(),
                "--region", region, "--kafka", cluster(region).bootstrapServers(), "--host", "127.0.0.1",
                "--replication", Integer.toString(replication(region))));
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
