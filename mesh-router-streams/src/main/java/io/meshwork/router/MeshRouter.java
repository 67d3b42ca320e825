package io.meshwork.router;

import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.internal.RouterTopology;
import io.meshwork.router.internal.SkipUnproducibleRecords;
import io.meshwork.router.routing.RoutingTable;
import java.time.Duration;
import java.util.Properties;
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
    private HeartbeatSender heartbeats;

    private MeshRouter(RouterConfig config, KafkaStreams streams, RemoteInterest interest, RoutingTable routes) {
        this.config = config;
        this.streams = streams;
        this.interest = interest;
        this.routes = routes;
    }

    /** The neighbour this router currently sends {@code destination}'s traffic through, if any path is up. */
    public java.util.Optional<String> nextHop(String destination) {
        return routes.current().towards(destination);
    }

    /** Starts the router and returns once it is running (its global route table restored). */
    public static MeshRouter start(RouterConfig config, Duration timeout) throws InterruptedException, TimeoutException {
        RemoteInterest interest = new RemoteInterest();
        RoutingTable routes = new RoutingTable(config.region(), config.links());
        KafkaStreams streams = new KafkaStreams(RouterTopology.build(config, interest, routes), properties(config));
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
            throw new TimeoutException("region " + config.region() + ": router not running after " + timeout.toSeconds() + " s");
        }
        LOG.info("region {}: router running", config.region());
        MeshRouter router = new MeshRouter(config, streams, interest, routes);
        // Registers the router in the control plane's broker directory.
        router.heartbeats = HeartbeatSender.start(config.bootstrapServers(), HopTracer.nodeName(config.region()), NodeRole.ROUTER,
                config.region(), null, () -> 0);
        return router;
    }

    private static Properties properties(RouterConfig config) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.CLIENT_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        // Transactions commit (and downstream read_committed readers see results) at this pace.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUnproducibleRecords.class);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "zstd");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 4 * 1024 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), 8 * 1024 * 1024);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        props.put(StreamsConfig.POLL_MS_CONFIG, 20);
        return props;
    }

    /** The region this router serves. */
    public String region() {
        return config.region();
    }

    /** Regions (other than this one) whose advertised interest matches {@code topic}, as this router knows it. */
    public Set<String> regionsWanting(String topic) {
        return interest.regionsWanting(TopicName.of(topic));
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
        if (heartbeats != null) {
            heartbeats.close();
        }
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        // Gauges hold the route table of this instance; a router restarted in this JVM registers its own.
        MeshMetrics.registry().find("mesh.interest.entries").tag("region", config.region()).meters()
                .forEach(MeshMetrics.registry()::remove);
        MeshMetrics.registry().find("mesh.link.up").tag("from", config.region()).meters()
                .forEach(MeshMetrics.registry()::remove);
        LOG.info("region {}: router stopped", config.region());
    }
}
