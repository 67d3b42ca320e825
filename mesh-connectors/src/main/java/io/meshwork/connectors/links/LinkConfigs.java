package io.meshwork.connectors.links;

import io.meshwork.connectors.predicates.HopBudgetSpent;
import io.meshwork.connectors.predicates.RoutingPathContains;
import io.meshwork.connectors.transforms.EnterBroker;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.topology.Region;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.connect.transforms.Filter;

/**
 * Renders the MirrorMaker 2 (dedicated mode, {@code org.apache.kafka.connect.mirror.MirrorMaker})
 * configuration of a region's incoming links.
 *
 * <p>Each directed link A&rarr;B is run by the MirrorMaker of the <em>target</em> region B, which
 * pulls {@code mesh.link.B} from neighbour A and writes it, under MirrorMaker's
 * {@code DefaultReplicationPolicy}, to {@link #arrivalTopic(String, String) A.mesh.link.B} in its
 * own cluster. Running links in the target region means a cut link leaves the backlog in A's
 * spool topic and the MirrorMaker of B simply resumes from its committed offsets. The flow
 * carries data only: A's control records ({@code mesh.routes}) cross on a channel of their own
 * ({@link ControlChannel}), so they never wait behind a spooled backlog.
 *
 * <p>On the way in, every record passes the link guards: a looped event (B already on
 * {@code mesh_path}) and an event with a spent hop budget are dropped, every other data event is
 * stamped as having entered B ({@code mesh_path} += B, {@code mesh_hops} -= 1).
 *
 * <p>Nothing but the spool topic crosses: heartbeats, checkpoints, offset syncs, consumer-group
 * offsets, periodic topic-config syncs and ACLs are all switched off. MirrorMaker still tries to create a {@code MirrorCheckpointConnector} for every
 * flow, and its validation refuses to run one with checkpoints off: each flow logs one
 * {@code Failed to configure MirrorCheckpointConnector} error at start. That refusal is what keeps
 * checkpointing off; it is expected.
 *
 * <p>Plugins are found through their {@code ServiceLoader} manifests only
 * ({@code plugin.discovery=service_load}): scanning the classpath costs seconds per MirrorMaker
 * herder, and every plugin a link uses, the mesh's own included, has a manifest. A third-party
 * SMT without one would not be found.
 */
public final class LinkConfigs {

    /** The policy {@link #arrivalTopic} assumes; pinned so that a changed default cannot move arrivals. */
    static final String REPLICATION_POLICY_CLASS = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
    static final String REPLICATION_POLICY_SEPARATOR = ".";

    /** Brokers accept 4 MiB records (a 1 MiB payload plus headers); the link must carry them too. */
    static final int MAX_REQUEST_SIZE_BYTES = 4 * 1024 * 1024;

    /** A neighbour's broker answers a fetch after at most this long even with little data (default 500 ms). */
    static final int SOURCE_FETCH_MAX_WAIT_MS = 50;

    private static final String PLUGIN_DISCOVERY = "plugin.discovery";
    private static final String SERVICE_LOAD = "service_load";

    private LinkConfigs() {
    }

    /**
     * The MirrorMaker 2 properties for the instance that runs in {@code targetRegion} and pulls
     * from every neighbour. Start it with {@code --clusters <targetRegion>}.
     *
     * <p>Per-cluster client settings use MirrorMaker's {@code <alias>.consumer.} and
     * {@code <alias>.producer.} prefixes: {@code <neighbour>.consumer.*} reaches the replication
     * consumer of that neighbour's link (as {@code source.consumer.*} of the connector), and
     * {@code <target>.producer.*} reaches the Connect worker producer that writes the arrivals.
     * The link transforms and predicates are set per flow ({@code N->T.transforms...}), because
     * MirrorMaker drops top-level {@code transforms.<alias>.*} keys when it builds connector
     * configs.
     *
     * @param targetRegion        the region the MirrorMaker runs in, and the links' target
     * @param targetBootstrap     bootstrap servers of the target region's cluster
     * @param neighbourBootstraps bootstrap servers of each neighbour's cluster, by region name;
     *                            at least one, never the target itself
     * @param settings            replication factor, tasks and refresh interval
     * @return the properties, sorted by key, unmodifiable
     * @throws IllegalArgumentException if a region name is not valid ({@link Region#NAME_PATTERN}),
     *                                  a bootstrap is blank, there is no neighbour, or the target
     *                                  is among its own neighbours
     */
    public static Map<String, String> mirrorMakerFor(String targetRegion, String targetBootstrap,
                                                     Map<String, String> neighbourBootstraps, LinkSettings settings) {
        requireRegion(targetRegion, "targetRegion");
        requireBootstrap(targetBootstrap, targetRegion);
        Objects.requireNonNull(neighbourBootstraps, "neighbourBootstraps");
        Map<String, KafkaClients> neighbours = new TreeMap<>();
        neighbourBootstraps.forEach((neighbour, bootstrap) -> {
            requireBootstrap(bootstrap, neighbour);
            neighbours.put(neighbour, KafkaClients.of(bootstrap));
        });
        return mirrorMakerFor(targetRegion, KafkaClients.of(targetBootstrap), neighbours, settings);
    }

    /**
     * {@link #mirrorMakerFor(String, String, Map, LinkSettings)} with each cluster's whole client
     * settings (TLS, SASL, client.rack...), set with MirrorMaker's per-cluster prefix
     * {@code <alias>.}, which reaches every client MirrorMaker builds for that cluster.
     */
    public static Map<String, String> mirrorMakerFor(String targetRegion, KafkaClients target,
                                                     Map<String, KafkaClients> neighbourKafka, LinkSettings settings) {
        requireRegion(targetRegion, "targetRegion");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(neighbourKafka, "neighbourKafka");
        Map<String, String> neighbourBootstraps = new TreeMap<>();
        neighbourKafka.forEach((neighbour, kafka) -> neighbourBootstraps.put(neighbour, kafka.bootstrapServers()));
        Objects.requireNonNull(settings, "settings");
        if (neighbourBootstraps.isEmpty()) {
            throw new IllegalArgumentException("region " + targetRegion + " has no neighbours to pull from");
        }
        TreeSet<String> neighbours = new TreeSet<>(neighbourBootstraps.keySet());
        for (String neighbour : neighbours) {
            requireRegion(neighbour, "neighbour");
            requireBootstrap(neighbourBootstraps.get(neighbour), neighbour);
            if (neighbour.equals(targetRegion)) {
                throw new IllegalArgumentException("region " + targetRegion + " is listed as its own neighbour");
            }
        }

        Map<String, String> props = new TreeMap<>();
        List<String> clusters = new ArrayList<>();
        clusters.add(targetRegion);
        clusters.addAll(neighbours);
        props.put("clusters", String.join(",", clusters));
        props.putAll(target.prefixed(targetRegion + "."));
        neighbours.forEach(n -> props.putAll(neighbourKafka.get(n).prefixed(n + ".")));

        putFlows(props, clusters, targetRegion);
        putReplicationBehaviour(props, settings);
        putReplicationFactors(props, settings.replicationFactor());
        putClients(props, targetRegion, neighbours);
        putPluginDiscovery(props, targetRegion);
        neighbours.forEach(n -> putLinkGuards(props, n, targetRegion));
        return Collections.unmodifiableMap(props);
    }

    /**
     * The properties as {@code .properties} text for {@code connect-mirror-maker.sh}: a header
     * comment naming the region the file is for, then every property sorted by key.
     *
     * @param mirrorMakerProperties what {@link #mirrorMakerFor} returned
     * @return the file's text; {@code Properties.load} reads back exactly the same properties
     */
    public static String render(Map<String, String> mirrorMakerProperties) {
        String regions = String.join(", ", targetsOfEnabledFlows(mirrorMakerProperties));
        if (regions.isEmpty()) {
            regions = "(no enabled links)";
        }
        return PropertiesText.render(List.of(
                "MirrorMaker 2 (dedicated mode): the mesh links into region " + regions + ".",
                "Generated by io.meshwork.connectors.links.LinkConfigs; edit the topology, not this file.",
                "Run in that region: connect-mirror-maker.sh <this file> --clusters " + regions.replace(", ", " ")),
                mirrorMakerProperties);
    }

    /**
     * The topic in {@code targetRegion}'s cluster where events arrive from {@code fromRegion}:
     * {@code <fromRegion>.mesh.link.<targetRegion>}, the name MirrorMaker's
     * {@code DefaultReplicationPolicy} gives the copy of the spool topic {@code mesh.link.<target>}
     * (the same name as {@code MeshKafkaTopics.arrivals}). The router of the target region
     * consumes it.
     *
     * @param fromRegion   the neighbour the events come from
     * @param targetRegion the region they arrive in
     * @return the arrival topic's name
     * @throws IllegalArgumentException if a region name is not valid or both are the same
     */
    public static String arrivalTopic(String fromRegion, String targetRegion) {
        requireRegion(fromRegion, "fromRegion");
        requireRegion(targetRegion, "targetRegion");
        if (fromRegion.equals(targetRegion)) {
            throw new IllegalArgumentException("a link needs two regions, got " + fromRegion + " twice");
        }
        return MeshKafkaTopics.arrivals(fromRegion, targetRegion);
    }

    private static void putFlows(Map<String, String> props, List<String> clusters, String target) {
        // Every pair is written out, so the file says plainly that nothing else flows.
        for (String source : clusters) {
            for (String destination : clusters) {
                if (!source.equals(destination)) {
                    boolean incoming = destination.equals(target);
                    props.put(flow(source, destination) + "enabled", Boolean.toString(incoming));
                    if (incoming) {
                        props.put(flow(source, destination) + "topics", exactTopicRegex(MeshKafkaTopics.link(target)));
                    }
                }
            }
        }
    }

    private static void putReplicationBehaviour(Map<String, String> props, LinkSettings settings) {
        props.put("replication.policy.class", REPLICATION_POLICY_CLASS);
        props.put("replication.policy.separator", REPLICATION_POLICY_SEPARATOR);
        props.put("emit.heartbeats.enabled", "false");
        props.put("emit.checkpoints.enabled", "false");
        props.put("sync.group.offsets.enabled", "false");
        // Nothing is checkpointed, so the neighbour's consumer groups need not be listed.
        props.put("refresh.groups.enabled", "false");
        // Offset syncs only feed checkpoints; left on, the MirrorMaker would write them into the
        // neighbour's cluster across the WAN. MirrorSourceConnector rejects any offset-syncs.topic.*
        // setting while they are off, hence no offset-syncs replication factor below.
        props.put("emit.offset-syncs.enabled", "false");
        props.put("sync.topic.configs.enabled", "false");
        props.put("sync.topic.acls.enabled", "false");
        props.put("refresh.topics.interval.seconds", Long.toString(settings.refreshTopicsInterval().toSeconds()));
        props.put("tasks.max", Integer.toString(settings.tasksMax()));
    }

    private static void putReplicationFactors(Map<String, String> props, int replicationFactor) {
        String factor = Integer.toString(replicationFactor);
        props.put("replication.factor", factor);
        props.put("heartbeats.topic.replication.factor", factor);
        props.put("checkpoints.topic.replication.factor", factor);
        props.put("config.storage.replication.factor", factor);
        props.put("offset.storage.replication.factor", factor);
        props.put("status.storage.replication.factor", factor);
    }

    private static void putClients(Map<String, String> props, String target, Iterable<String> neighbours) {
        for (String neighbour : neighbours) {
            props.put(neighbour + ".consumer.fetch.max.wait.ms", Integer.toString(SOURCE_FETCH_MAX_WAIT_MS));
            // Routers write link topics in transactions: never mirror aborted records.
            props.put(neighbour + ".consumer.isolation.level", "read_committed");
        }
        props.put(target + ".producer.max.request.size", Integer.toString(MAX_REQUEST_SIZE_BYTES));
        // Kafka 4 lingers 5 ms by default; a link hop should add only the WAN's delay.
        props.put(target + ".producer.linger.ms", "0");
    }

    private static void putPluginDiscovery(Map<String, String> props, String target) {
        // Top level: MirrorMakerConfig's own plugin loader. Under the target's alias: the Connect
        // workers, whose config MirrorMaker builds from the target cluster's properties.
        props.put(PLUGIN_DISCOVERY, SERVICE_LOAD);
        props.put(target + "." + PLUGIN_DISCOVERY, SERVICE_LOAD);
    }

    private static void putLinkGuards(Map<String, String> props, String neighbour, String target) {
        String flow = flow(neighbour, target);
        linkGuards(target).forEach((key, value) -> props.put(flow + key, value));
    }

    /**
     * The link guards of every link into {@code target}, as Connect transformation properties
     * without a prefix ({@code transforms=...}, {@code transforms.<alias>.*}, {@code predicates=...},
     * {@code predicates.<alias>.*}): drop a looped event, drop a spent hop budget, enter the
     * target. MirrorMaker gets them under each flow's prefix; the push link builds its chain from
     * the same properties ({@link io.meshwork.connectors.internal.TransformChain}), so both links apply exactly the same SMTs.
     *
     * @param target the region the link enters
     * @return the properties, sorted by key
     */
    static Map<String, String> linkGuards(String target) {
        requireRegion(target, "target");
        String filter = Filter.class.getName();
        Map<String, String> props = new TreeMap<>();
        props.put("transforms", "loopGuard,hopLimit,enter");
        props.put("transforms.loopGuard.type", filter);
        props.put("transforms.loopGuard.predicate", "pathHasTarget");
        props.put("transforms.hopLimit.type", filter);
        props.put("transforms.hopLimit.predicate", "hopsSpent");
        props.put("transforms.enter.type", EnterBroker.class.getName());
        props.put("transforms.enter." + EnterBroker.BROKER_ID_CONFIG, target);
        props.put("predicates", "pathHasTarget,hopsSpent");
        props.put("predicates.pathHasTarget.type", RoutingPathContains.class.getName());
        props.put("predicates.pathHasTarget." + RoutingPathContains.BROKER_ID_CONFIG, target);
        props.put("predicates.hopsSpent.type", HopBudgetSpent.class.getName());
        props.put("predicates.hopsSpent." + HopBudgetSpent.BROKER_ID_CONFIG, target);
        return props;
    }

    private static String flow(String source, String target) {
        return source + "->" + target + ".";
    }

    /** Kafka topic names hold only [a-zA-Z0-9._-], of which only '.' means something in a regex. */
    private static String exactTopicRegex(String topic) {
        return topic.replace(".", "\\.");
    }

    private static List<String> targetsOfEnabledFlows(Map<String, String> props) {
        TreeSet<String> targets = new TreeSet<>();
        props.forEach((key, value) -> {
            int arrow = key.indexOf("->");
            if (arrow > 0 && key.endsWith(".enabled") && Boolean.parseBoolean(value)) {
                String afterArrow = key.substring(arrow + 2, key.length() - ".enabled".length());
                if (!afterArrow.contains(".")) {
                    targets.add(afterArrow);
                }
            }
        });
        return List.copyOf(targets);
    }

    private static void requireRegion(String region, String what) {
        Objects.requireNonNull(region, what);
        if (!Region.isValidName(region)) {
            throw new IllegalArgumentException(what + " '" + region + "' is not a valid region name (must match "
                    + Region.NAME_PATTERN.pattern() + ")");
        }
    }

    private static void requireBootstrap(String bootstrap, String region) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("bootstrap servers of region " + region + " must not be blank");
        }
    }
}
