package io.meshwork.launcher;

import io.meshwork.connectors.links.LinkMode;
import io.meshwork.connectors.links.LinksConfig;
import io.meshwork.connectors.links.LinksKeys;
import io.meshwork.connectors.links.RegionLinks;
import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.config.Durations;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.controlplane.HealthCheck;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.embedded.TempDirs;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.embedded.wan.WanEmulator;
import io.meshwork.embedded.wan.WanLink;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicSpec;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import io.meshwork.launcher.internal.InParallel;
import io.meshwork.launcher.internal.PortPlan;
import io.meshwork.launcher.internal.WanLinkAdmin;
import io.meshwork.router.MeshRouter;
import io.meshwork.router.RouterConfig;
import io.meshwork.router.RouterKeys;
import io.meshwork.topology.Link;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A complete mesh in this JVM (DESIGN.md 2.3): one real KRaft Kafka cluster per region, the
 * contract topics, each region's links (push links by default, or MirrorMaker 2: {@link LinkMode}),
 * router and edge, the control plane, and a WAN emulator on every inter-region Kafka connection.
 *
 * <p>Inter-region traffic really crosses the emulator: each cluster has one extra listener per
 * neighbour, advertised at the port of the emulated link from that neighbour, so a client in
 * region A that bootstraps from B's link address is sent back through the link for every broker
 * connection and pays the link's RTT.
 *
 * <pre>{@code
 * try (EmbeddedMesh mesh = EmbeddedMesh.start(topology, EmbeddedMesh.Ports.EPHEMERAL, MeshProgress.SILENT)) {
 *     mesh.region("us-east-1").httpUrl();
 * }
 * }</pre>
 */
public final class EmbeddedMesh implements AutoCloseable {

    /** Which ports the mesh binds. */
    public enum Ports {
        /** The ports of the topology file (DESIGN.md 2.3). */
        TOPOLOGY,
        /** Free ports picked at start, so tests never clash with a running mesh. */
        EPHEMERAL
    }

    /** MQTT SUBACKs wait (at most this long) until the subscription is active in every region. */
    public static final Duration MQTT_SUBACK_HOLD = Duration.ofSeconds(10);

    private static final String KAFKA_BOOTSTRAP = KafkaClients.PREFIX + "bootstrap.servers";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMesh.class);
    private static final String LOOPBACK = "127.0.0.1";

    private final Topology topology;
    private final LinkMode linkMode;
    private final WanEmulator wan = new WanEmulator();
    private final Map<String, EmbeddedKafkaCluster> clusters = new LinkedHashMap<>();
    // Read by the control plane's health checks while routers restart or the mesh still starts.
    private final Map<String, EdgeBridge> edges = new ConcurrentHashMap<>();
    private final Map<String, MeshRouter> routers = new ConcurrentHashMap<>();
    private final Map<String, Path> routerStateDirs = new LinkedHashMap<>();
    private final Map<String, RegionLinks> links = new LinkedHashMap<>();
    private ControlPlane controlPlane;
    private final MeshOverrides overrides;

    private EmbeddedMesh(Topology topology, LinkMode linkMode, MeshOverrides overrides) {
        this.topology = topology;
        this.linkMode = linkMode;
        this.overrides = overrides;
    }

    /**
     * Starts every part, with the default push links, and returns when the mesh is ready.
     *
     * @throws PortInUseException if a fixed port is taken (checked before anything starts)
     */
    public static EmbeddedMesh start(Topology topology, Ports ports, MeshProgress progress)
            throws InterruptedException, TimeoutException {
        return start(topology, ports, LinkMode.PUSH, progress);
    }

    /**
     * Starts every part and returns when the mesh is ready.
     *
     * @param linkMode what carries data events between regions: push links run by each origin
     *                 (the default), or MirrorMaker 2 run by each target
     * @throws PortInUseException if a fixed port is taken (checked before anything starts)
     */
    public static EmbeddedMesh start(Topology topology, Ports ports, LinkMode linkMode, MeshProgress progress)
            throws InterruptedException, TimeoutException {
        return start(topology, ports, linkMode, MeshOverrides.NONE, progress);
    }

    /**
     * As {@link #start(Topology, Ports, LinkMode, MeshProgress)}, giving the edges and the control
     * plane {@code overrides} on top of their keys (e.g. TLS for {@code ./mesh up --secure}).
     */
    public static EmbeddedMesh start(Topology topology, Ports ports, LinkMode linkMode, MeshOverrides overrides, MeshProgress progress)
            throws InterruptedException, TimeoutException {
        java.util.Objects.requireNonNull(linkMode, "linkMode");
        if (ports == Ports.TOPOLOGY) {
            PortPlan.checkFree(PortPlan.fixedPorts(topology));
        }
        EmbeddedMesh mesh = new EmbeddedMesh(topology, linkMode, java.util.Objects.requireNonNull(overrides, "overrides"));
        try {
            mesh.startWan(progress);
            mesh.startClusters(ports, progress);
            mesh.createTopics(progress);
            // Links first: routers judge a link by the heartbeats that cross it.
            mesh.startLinks(progress);
            // The control plane (its PostgreSQL above all) needs none of them to start: it starts beside them.
            FutureTask<Void> controlPlane = new FutureTask<>(() -> {
                mesh.startControlPlane(ports, progress);
                return null;
            });
            new Thread(controlPlane, "start-control-plane").start();
            try {
                mesh.startRouters(progress);
                mesh.startEdges(ports, progress);
            } finally {
                awaitStarted(controlPlane); // also when a router or edge failed: close() must see it to stop it
            }
            return mesh;
        } catch (RuntimeException | InterruptedException | TimeoutException e) {
            mesh.close();
            throw e;
        }
    }

    private static void awaitStarted(FutureTask<Void> controlPlane) throws InterruptedException {
        try {
            controlPlane.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("the control plane failed to start", e.getCause());
        }
    }

    private void startWan(MeshProgress progress) {
        long started = System.nanoTime();
        for (Link link : topology.links()) {
            wan.open(link.a(), link.b(), link.rtt());
            wan.open(link.b(), link.a(), link.rtt());
        }
        progress.started("WAN emulator", wan.links().size() + " directed links", since(started));
    }

    /** Name of the listener a region's cluster opens for clients coming from {@code neighbour}. */
    static String listenerFrom(String neighbour) {
        return "FROM_" + neighbour.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private void startClusters(Ports ports, MeshProgress progress) throws InterruptedException, TimeoutException {
        Map<String, InParallel.Start<EmbeddedKafkaCluster>> starts = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            KafkaClusterSpec spec = KafkaClusterSpec.named(region.name())
                    .withClientPort(ports == Ports.TOPOLOGY ? region.ports().kafka() : 0);
            for (String neighbour : topology.neighbours(region.name())) {
                spec = spec.withExtraListener(new ExtraListener(listenerFrom(neighbour), wan.link(neighbour, region.name()).port()));
            }
            KafkaClusterSpec clusterSpec = spec;
            starts.put(region.name(), () -> {
                long started = System.nanoTime();
                EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(clusterSpec);
                progress.started("kafka " + region.name(), cluster.bootstrapServers(), since(started));
                return cluster;
            });
        }
        InParallel.start("start-kafka-", starts, clusters);
        for (WanLink link : wan.links()) {
            int target = clusters.get(link.to()).listenerPort(listenerFrom(link.from()));
            link.forwardTo(new InetSocketAddress(LOOPBACK, target));
        }
    }

    private void createTopics(MeshProgress progress) {
        for (Region region : topology.regions()) {
            long started = System.nanoTime();
            List<TopicSpec> topics = TopicContract.embedded(region.name(), topology.neighbours(region.name())).topics();
            new TopicApplier(clusters.get(region.name()).admin(), region.name()).apply(topics, TopicApplier.Mode.CREATE_MISSING);
            progress.started("topics " + region.name(), String.join(" ", topics.stream().map(TopicSpec::name).toList()), since(started));
        }
    }

    private void startRouters(MeshProgress progress) throws InterruptedException, TimeoutException {
        Map<String, InParallel.Start<MeshRouter>> starts = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            Path stateDir = stateDir(region.name());
            starts.put(region.name(), () -> newRouter(region.name(), stateDir, progress));
        }
        InParallel.start("start-router-", starts, routers);
    }

    private void startRouter(String region, MeshProgress progress) throws InterruptedException, TimeoutException {
        routers.put(region, newRouter(region, stateDir(region), progress));
    }

    private Path stateDir(String region) {
        return routerStateDirs.computeIfAbsent(region, r -> {
            try {
                return Files.createTempDirectory("meshwork-router-" + r + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("region " + r + ": cannot create the router's state directory", e);
            }
        });
    }

    private MeshRouter newRouter(String region, Path stateDir, MeshProgress progress) throws InterruptedException, TimeoutException {
        long started = System.nanoTime();
        RouterConfig config = RouterKeys.build(EmbeddedConfigs.of(RouterKeys.schema(), Map.of(
                        MeshKeys.REGION, region,
                        KAFKA_BOOTSTRAP, clusters.get(region).bootstrapServers())),
                topology.neighbours(region), topology.links(), stateDir);
        MeshRouter router = MeshRouter.start(config, Duration.ofSeconds(60));
        progress.started("router " + region, "Kafka Streams " + config.applicationId(), since(started));
        return router;
    }

    private void startLinks(MeshProgress progress) throws InterruptedException {
        for (Region region : topology.regions()) {
            long started = System.nanoTime();
            List<String> neighbours = topology.neighbours(region.name());
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put(MeshKeys.REGION, region.name());
            keys.put(KAFKA_BOOTSTRAP, clusters.get(region.name()).bootstrapServers());
            keys.put(LinksKeys.MODE, linkMode.toString());
            for (String neighbour : neighbours) {
                // Across the emulated link from this region to the neighbour: the control channels
                // (and MirrorMaker) pull from it through there, the push links produce into it.
                keys.put(LinksKeys.NEIGHBOURS.key(neighbour, "bootstrap.servers"), LOOPBACK + ":" + wan.link(region.name(), neighbour).port());
            }
            LinksConfig config = LinksKeys.build(EmbeddedConfigs.of(LinksKeys.schema(), keys), neighbours);
            links.put(region.name(), config.start(Duration.ofSeconds(90)));
            if (linkMode == LinkMode.PUSH) {
                progress.started("links of " + region.name(), "push to " + String.join(", ", neighbours), since(started));
            } else {
                progress.started("links into " + region.name(), "MirrorMaker 2 from " + String.join(", ", neighbours), since(started));
            }
        }
    }

    /** What carries data events between the regions of this mesh. */
    public LinkMode linkMode() {
        return linkMode;
    }

    /**
     * Stops the router of {@code region} and starts it again on the same state directory, as an
     * operator restarting it would; it rebuilds its interest by replay and carries on.
     */
    public void restartRouter(String region) throws InterruptedException, TimeoutException {
        MeshRouter router = routers.remove(region);
        if (router == null) {
            throw new IllegalArgumentException("the mesh has no router in '" + region + "'");
        }
        router.close();
        startRouter(region, MeshProgress.SILENT);
    }

    /**
     * Stops the router of {@code region} cleanly and leaves the region without one, so that a
     * router run elsewhere (another process) can take its place.
     */
    public void stopRouter(String region) {
        MeshRouter router = routers.remove(region);
        if (router == null) {
            throw new IllegalArgumentException("the mesh has no running router in '" + region + "'");
        }
        router.close();
    }

    /**
     * Starts a router for {@code region} (which must have none running here) on {@code stateDir},
     * e.g. the state directory of a router process that died.
     */
    public void startRouter(String region, Path stateDir) throws InterruptedException, TimeoutException {
        region(region);
        if (routers.containsKey(region)) {
            throw new IllegalStateException("region " + region + " already has a router running in this mesh");
        }
        routers.put(region, newRouter(region, stateDir, MeshProgress.SILENT));
    }

    /** The router of {@code region}. */
    public MeshRouter router(String region) {
        region(region);
        return routers.get(region);
    }

    /** The edge of {@code region}. */
    public EdgeBridge edge(String region) {
        region(region);
        return edges.get(region);
    }

    private void startEdges(Ports ports, MeshProgress progress) throws InterruptedException, TimeoutException {
        Map<String, InParallel.Start<EdgeBridge>> starts = new LinkedHashMap<>();
        for (Region region : topology.regions()) {
            starts.put(region.name(), () -> newEdge(region, ports, progress));
        }
        InParallel.start("start-edge-", starts, edges);
    }

    private EdgeBridge newEdge(Region region, Ports ports, MeshProgress progress) throws InterruptedException, TimeoutException {
        long started = System.nanoTime();
        boolean fixed = ports == Ports.TOPOLOGY;
        MeshConfig keys = EmbeddedConfigs.of(EdgeKeys.schema(), overrides.edge(Map.of(
                MeshKeys.REGION, region.name(),
                KAFKA_BOOTSTRAP, clusters.get(region.name()).bootstrapServers(),
                EdgeKeys.HTTP_HOST, LOOPBACK,
                EdgeKeys.HTTP_PORT, Integer.toString(fixed ? region.ports().http() : 0),
                EdgeKeys.GRPC_PORT, Integer.toString(fixed ? region.ports().grpc() : 0),
                EdgeKeys.MQTT_PORT, Integer.toString(fixed ? region.ports().mqtt() : 0),
                EdgeKeys.AMQP_PORT, Integer.toString(fixed ? region.ports().amqp() : 0),
                EdgeKeys.MQTT_SUBACK_HOLD, Durations.format(MQTT_SUBACK_HOLD))));
        EdgeConfig config = EdgeKeys.build(keys, java.util.Set.copyOf(topology.regionNames()));
        EdgeBridge edge = EdgeBridge.start(config, EdgeKeys.tls(keys), EdgeKeys.auth(keys));
        progress.started("edge " + region.name(), (overrides.edgeTls() ? "https://" : "http://") + LOOPBACK + ":" + edge.httpPort()
                + " grpc :" + edge.port("gRPC").orElse(-1) + " mqtt :" + edge.port("MQTT").orElse(-1)
                + " amqp :" + edge.port("AMQP").orElse(-1), since(started));
        return edge;
    }

    private void startControlPlane(Ports ports, MeshProgress progress) {
        long started = System.nanoTime();
        List<HealthCheck> checks = new ArrayList<>();
        clusters.forEach((region, cluster) -> checks.add(new HealthCheck("kafka/" + region, () -> answers(cluster))));
        // Looked up at each check: the edges and routers start beside the control plane, and routers restart.
        for (String region : topology.regionNames()) {
            checks.add(new HealthCheck("edge/" + region, () -> {
                EdgeBridge edge = edges.get(region);
                return edge != null && edge.isHealthy();
            }));
        }
        for (String region : topology.regionNames()) {
            checks.add(new HealthCheck("router/" + region, () -> {
                MeshRouter current = routers.get(region);
                return current != null && current.isRunning();
            }));
        }
        // The control plane reads every region's heartbeats and traces, and writes routing rules into it.
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ControlPlaneKeys.HOST, LOOPBACK);
        keys.put(ControlPlaneKeys.PORT, Integer.toString(ports == Ports.TOPOLOGY ? topology.controlPlanePort() : 0));
        clusters.forEach((region, cluster) -> keys.put(ControlPlaneKeys.REGIONS.key(region, "bootstrap.servers"), cluster.bootstrapServers()));
        MeshConfig config = EmbeddedConfigs.of(ControlPlaneKeys.schema(), overrides.controlPlane(keys));
        controlPlane = ControlPlane.start(ControlPlaneKeys.build(config), topology, new WanLinkAdmin(wan), checks,
                ControlPlaneKeys.tls(config), ControlPlaneKeys.auth(config));
        progress.started("control plane", controlPlaneUrl(), since(started));
    }

    private static boolean answers(EmbeddedKafkaCluster cluster) {
        try {
            return !cluster.admin().describeCluster().nodes().get(2, java.util.concurrent.TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The topology this mesh runs. */
    public Topology topology() {
        return topology;
    }

    /** Endpoints of one region. */
    public RegionEndpoints region(String name) {
        EmbeddedKafkaCluster cluster = clusters.get(name);
        if (cluster == null) {
            throw new IllegalArgumentException("the mesh has no region '" + name + "'; it has " + clusters.keySet());
        }
        EdgeBridge edge = edges.get(name);
        return new RegionEndpoints(name, cluster.bootstrapServers(), edge.httpPort(), edge.port("gRPC").orElse(-1),
                edge.port("MQTT").orElse(-1), edge.port("AMQP").orElse(-1), overrides.edgeTls());
    }

    /** The regional Kafka cluster of {@code region}. */
    public EmbeddedKafkaCluster cluster(String region) {
        region(region);
        return clusters.get(region);
    }

    /** The WAN emulator carrying every inter-region Kafka connection. */
    public WanEmulator wan() {
        return wan;
    }

    /** Base URL of the control plane's ops API. */
    public String controlPlaneUrl() {
        return (overrides.controlPlaneTls() ? "https://" : "http://") + LOOPBACK + ":" + controlPlane.port();
    }

    /** Stops every part, newest first; the clusters' temp directories are removed. */
    @Override
    public void close() {
        if (controlPlane != null) {
            controlPlane.close();
        }
        // Routers and edges first and together: on Ctrl-C, MirrorMaker's own shutdown hook stops the
        // links at once, and a router left running would report every link down on the way out. An
        // edge needs neither (it withdraws its interest into its own cluster, still up).
        Map<String, Runnable> first = new LinkedHashMap<>();
        routers.forEach((region, router) -> first.put(region + " router", router::close));
        edges.forEach((region, edge) -> first.put(region + " edge", () -> {
            try {
                edge.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        InParallel.stop("stop-", first, Runnable::run);
        routers.clear();
        edges.clear();
        // Each region's MirrorMaker takes seconds to stop its connectors (and each push link waits
        // for the answers to what it has in flight); one after another they were most of a mesh's stop time.
        InParallel.stop("stop-links-", links, RegionLinks::close);
        links.clear();
        closeClustersInParallel();
        routerStateDirs.values().forEach(TempDirs::deleteRecursively);
        routerStateDirs.clear();
        wan.close();
    }

    private void closeClustersInParallel() {
        InParallel.stop("stop-kafka-", clusters, EmbeddedKafkaCluster::close);
        clusters.clear();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
