package io.meshwork.router;

import io.meshwork.router.delivery.RoutedFanOut;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.interest.RouterBeacon;
import io.meshwork.router.internal.CoPartitioning;
import io.meshwork.router.internal.RouterTopology;
import io.meshwork.router.internal.SkipUnproducibleRecords;
import io.meshwork.router.routing.ArrivalProgress;
import io.meshwork.router.routing.ArrivalProgressFeed;
import io.meshwork.router.routing.RoutingTable;
import io.meshwork.router.routing.SpoolRescuer;
import java.time.Duration;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.interest.LinkState;
import java.util.HashSet;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.meshwork.core.directory.HeartbeatSender;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.router.traces.HopTracer;
import io.meshwork.core.topic.TopicName;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One region's router: a Kafka Streams application ({@code exactly_once_v2}) that forwards each
 * event published in the region only towards regions whose advertised interest matches it,
 * delivers arrivals locally, passes transit traffic on, and propagates interest.
 *
 * <p>A region may run several instances (same region, so the same application id; each its own
 * state directory): they share the partitions, and each has what its tasks need whichever it is
 * given (docs/ARCHITECTURE.md, "How a region scales").
 *
 * <pre>{@code
 * try (MeshRouter router = MeshRouter.start(config, Duration.ofSeconds(60))) { ... }
 * }</pre>
 */
public final class MeshRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshRouter.class);

    private final RouterConfig config;
    private final KafkaStreams streams;
    private final RemoteInterest interest;
    private final RoutingTable routes;
    private final SpoolRescuer rescuer;
    private final ArrivalProgressFeed progressFeed;
    private HeartbeatSender heartbeats;
    private RouterBeacon beacon;
    private RoutedFanOut fanOut;

    /**
     * How far back a spool is re-sent when the neighbour never reported how far it processed it
     * (its router restarted during the outage): duplicates are dropped by its ledger, so erring
     * long is cheap.
     */
    private static final Duration RESCUE_FALLBACK_LOOKBACK = Duration.ofSeconds(60);

    private MeshRouter(RouterConfig config, KafkaStreams streams, RemoteInterest interest, RoutingTable routes,
                       SpoolRescuer rescuer, ArrivalProgressFeed progressFeed) {
        this.config = config;
        this.streams = streams;
        this.interest = interest;
        this.routes = routes;
        this.rescuer = rescuer;
        this.progressFeed = progressFeed;
    }

    /**
     * Whether the link to {@code neighbour} is up as the routing table sees it (both ends hear
     * each other's heartbeats).
     */
    public boolean linkUp(String neighbour) {
        return routes.linkUp(neighbour);
    }

    /** The cost Dijkstra gives the link to {@code neighbour}: its configured RTT, or the measured one once it differs markedly. */
    public Optional<Duration> linkCost(String neighbour) {
        return routes.costTo(neighbour);
    }

    /** The newest link state of {@code region} this router has applied, if any reached it. */
    public Optional<LinkState> linkStateOf(String region) {
        return routes.stateOf(region);
    }

    /** Records in the spool towards {@code neighbour} that its router has not processed yet; -1 when unknown. */
    public long spoolLag(String neighbour) {
        return rescuer == null ? -1 : rescuer.lag(neighbour);
    }

    /** The neighbour this router currently sends {@code destination}'s traffic through, if any path is up. */
    public java.util.Optional<String> nextHop(String destination) {
        return routes.current().towards(destination);
    }

    /** Starts the router and returns once it is running (its global route table restored). */
    public static MeshRouter start(RouterConfig config, Duration timeout) throws InterruptedException, TimeoutException {
        RemoteInterest interest = new RemoteInterest();
        RoutingTable routes = new RoutingTable(config.region(), config.links());
        ArrivalProgress progress = new ArrivalProgress();
        int linkPartitions = linkPartitions(config);
        RoutedFanOut fanOut = RoutedFanOut.start(config.kafka(), config.region(), timeout);
        KafkaStreams streams = new KafkaStreams(RouterTopology.build(config, interest, routes, progress, linkPartitions, fanOut),
                properties(config));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            LOG.debug("region {}: router {} -> {}", config.region(), previous, next);
        });
        streams.setUncaughtExceptionHandler(error -> {
            LOG.error("region {}: router thread failed; replacing it", config.region(), error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            streams.close(Duration.ofSeconds(10));
            fanOut.close();
            throw new TimeoutException("region " + config.region() + ": router not running after " + timeout.toSeconds() + " s");
        }
        LOG.info("region {}: router running", config.region());
        SpoolRescuer rescuer = config.neighbours().isEmpty() ? null
                : SpoolRescuer.start(config.region(), config.kafka(), config.neighbours(), routes, RESCUE_FALLBACK_LOOKBACK,
                        () -> ownedArrivalPartitions(streams, config));
        ArrivalProgressFeed progressFeed = config.neighbours().isEmpty() ? null
                : ArrivalProgressFeed.start(config.region(), config.kafka(), config.applicationId(), progress);
        MeshRouter router = new MeshRouter(config, streams, interest, routes, rescuer, progressFeed);
        router.fanOut = fanOut;
        if (!config.neighbours().isEmpty()) {
            router.beacon = RouterBeacon.start(config.kafka(), config.region(), config.heartbeatInterval(),
                    () -> streams.state().isRunningOrRebalancing());
        }
        // Registers the router in the control plane's broker directory.
        router.heartbeats = HeartbeatSender.start(config.kafka(), HopTracer.nodeName(config.region()), NodeRole.ROUTER,
                config.region(), null, () -> 0);
        return router;
    }

    /**
     * The partition count shared by every link topic of the region; fails, naming the topics,
     * if they are missing or not partitioned as the router's state needs ({@link CoPartitioning}).
     */
    private static int linkPartitions(RouterConfig config) throws InterruptedException {
        List<String> topics = CoPartitioning.topics(config.region(), config.neighbours());
        try (Admin admin = config.kafka().admin("router " + config.region())) {
            Map<String, Integer> partitions = new TreeMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS)
                    .forEach((topic, description) -> partitions.put(topic, description.partitions().size()));
            return CoPartitioning.linkPartitions(config.region(), config.neighbours(), partitions);
        } catch (ExecutionException e) {
            throw new IllegalStateException("region " + config.region() + ": cannot describe the topics " + topics + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("region " + config.region() + ": cluster at " + config.bootstrapServers()
                    + " did not describe the topics " + topics + " within 30 s", e);
        }
    }

    private static Properties properties(RouterConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        // Transactions commit (and downstream read_committed readers see results) at this pace.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUnproducibleRecords.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 4 * 1024 * 1024);
        // With commits every few milliseconds the next transaction often asks to add its partitions
        // while the broker still writes the previous one's markers (CONCURRENT_TRANSACTIONS); the
        // producer retries that after retry.backoff.ms, 100 ms by default, which every event of the
        // next transaction then waits. The markers take a few milliseconds.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 200);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 8 * 1024 * 1024);
        // fetch.max.wait.ms stays at Kafka's 500 ms: a fetch is answered as soon as data (or the
        // marker that makes it visible to read_committed) arrives; a shorter wait only adds requests
        // to an idle cluster (measured: ~360 fetches/s across the idle embedded mesh at 50-100 ms).
        props.put(StreamsConfig.POLL_MS_CONFIG, 20);
        // The arrival task reads one link topic per neighbour. Streams would otherwise hold records
        // buffered for one link until a fetch showed the other links empty (time synchronisation
        // for joins); arrivals need none: their order is kept per origin by ArrivalOrder.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        // A router that died without leaving its group (a crash, a kill -9) holds its partitions
        // until its session expires; its replacement should not wait the default 45 s for that.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        // An instance added to a region whose state it lacks warms up first and takes its share of
        // the tasks at the next probing rebalance: within a minute (the least Streams allows), not 10.
        props.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, 60_000L);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 2_000);
        // The user's kafka.* settings (TLS, SASL, client.rack...) underneath; the router's win.
        Properties merged = new Properties();
        merged.putAll(config.kafka().config("router " + config.region(), toMap(props)));
        return merged;
    }

    private static Map<String, Object> toMap(Properties props) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        props.forEach((key, value) -> map.put(key.toString(), value));
        return map;
    }

    /** The region this router serves. */
    public String region() {
        return config.region();
    }

    /** Regions (other than this one) whose advertised interest matches {@code topic}, as this router knows it. */
    public Set<String> regionsWanting(String topic) {
        return interest.regionsWanting(TopicName.of(topic));
    }

    /**
     * Partition numbers of the arrival topics this instance's tasks process: it re-sends those
     * partitions of a cut link's spool, another instance the rest.
     */
    private static Set<Integer> ownedArrivalPartitions(KafkaStreams streams, RouterConfig config) {
        if (!streams.state().isRunningOrRebalancing()) {
            return Set.of();
        }
        Set<String> arrivals = new HashSet<>();
        config.neighbours().forEach(neighbour -> arrivals.add(MeshKafkaTopics.arrivals(neighbour, config.region())));
        Set<Integer> owned = new HashSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> task.topicPartitions().stream()
                .filter(partition -> arrivals.contains(partition.topic())).forEach(partition -> owned.add(partition.partition()))));
        return owned;
    }

    /**
     * The input partitions of the tasks this instance runs now, across its stream threads; the
     * instances of a region (same application id) share them, so each sees a part.
     */
    public Set<TopicPartition> assignedPartitions() {
        Set<TopicPartition> assigned = new HashSet<>();
        if (!streams.state().isRunningOrRebalancing()) {
            return assigned;
        }
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks()
                .forEach(task -> assigned.addAll(task.topicPartitions())));
        return assigned;
    }

    /** Whether the Streams application is running or rebalancing (not failed or stopped). */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /**
     * Stops the router and leaves its consumer group, so that a replacement (a restart, or
     * another instance) takes the partitions over at once instead of after the session timeout.
     */
    @Override
    public void close() {
        if (beacon != null) {
            beacon.close();
        }
        if (heartbeats != null) {
            heartbeats.close();
        }
        if (rescuer != null) {
            rescuer.close();
        }
        if (progressFeed != null) {
            progressFeed.close();
        }
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        try {
            fanOut.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Gauges hold the route table of this instance; a router restarted in this JVM registers its own.
        MeshMetrics.registry().find("mesh.interest.entries").tag("region", config.region()).meters()
                .forEach(MeshMetrics.registry()::remove);
        MeshMetrics.registry().find("mesh.link.up").tag("from", config.region()).meters()
                .forEach(MeshMetrics.registry()::remove);
        LOG.info("region {}: router stopped", config.region());
    }
}
