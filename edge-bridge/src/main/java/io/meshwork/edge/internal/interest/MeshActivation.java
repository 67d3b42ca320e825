package io.meshwork.edge.internal.interest;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.ControlRecord;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouteAdvert;
import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when this region's interest in a (pattern, selector) is active in every region of the
 * mesh: the region's router has advertised it, and the router of every other region has
 * acknowledged that advert ({@link RouteAck}s flood back over the links onto the local
 * {@code mesh.routes}). Subscribers get this as a {@code MESH_ACTIVE} confirmation.
 *
 * <p>A region that cannot be reached never acknowledges, so the confirmation waits for it: the
 * subscription is then active locally and wherever the acks came from, but not "everywhere".
 */
public final class MeshActivation implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshActivation.class);

    private final String region;
    private final Set<String> otherRegions;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Map<String, RouteAdvert> ownAdverts = new HashMap<>();
    private final Map<String, Map<String, RouteAck>> acks = new HashMap<>();
    private final Map<String, List<CompletableFuture<Void>>> waiting = new HashMap<>();
    private volatile boolean running = true;

    /**
     * @param meshRegions every region of the mesh, this one included
     */
    public MeshActivation(KafkaClients kafka, String region, Set<String> meshRegions) {
        this.region = region;
        this.otherRegions = meshRegions.stream().filter(r -> !r.equals(region)).collect(java.util.stream.Collectors.toUnmodifiableSet());
        this.consumer = kafka.consumer("edge " + region + " activation", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "edge-activation-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // mesh.routes gets a few records every heartbeat interval (every region's link state,
                // acks, transaction markers); fetching each on its own was the largest share of an idle
                // edge's CPU (JFR, docs/BENCHMARKS.md). Batches of up to 200 ms cost MESH_ACTIVE that much.
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "edge-activation-" + region);
        this.thread.setDaemon(true);
    }

    /** Starts following {@code mesh.routes} from its beginning (it is compacted, so small). */
    public void start() {
        TopicPartition routes = new TopicPartition(MeshKafkaTopics.ROUTES, 0);
        consumer.assign(List.of(routes));
        consumer.seekToBeginning(List.of(routes));
        thread.start();
    }

    /** Completes once interest in (pattern, selector) from this region is active in every region. */
    public synchronized CompletableFuture<Void> whenActive(String pattern, String selector) {
        String key = RouteAdvert.key(region, pattern, selector == null ? "" : selector.strip());
        CompletableFuture<Void> active = new CompletableFuture<>();
        if (isActiveEverywhere(key)) {
            active.complete(null);
        } else {
            waiting.computeIfAbsent(key, k -> new ArrayList<>()).add(active);
        }
        return active;
    }

    private boolean isActiveEverywhere(String key) {
        RouteAdvert advert = ownAdverts.get(key);
        if (advert == null || !advert.active()) {
            return false;
        }
        Map<String, RouteAck> byRegion = acks.getOrDefault(key, Map.of());
        for (String other : otherRegions) {
            RouteAck ack = byRegion.get(other);
            if (ack == null || ack.seq() < advert.seq() || !ack.active()) {
                return false;
            }
        }
        return true;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        apply(record.key(), record.value());
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke us up
        } catch (RuntimeException e) {
            LOG.warn("region {}: stopped following mesh-wide activation: {}", region, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private synchronized void apply(String key, byte[] value) {
        ControlRecord control;
        try {
            control = ControlCodec.decode(value);
        } catch (IllegalArgumentException e) {
            LOG.debug("region {}: ignoring record {} on mesh.routes: {}", region, key, e.getMessage());
            return;
        }
        String advertKey;
        if (control instanceof RouteAdvert advert && advert.origin().equals(region)) {
            ownAdverts.put(advert.key(), advert);
            advertKey = advert.key();
        } else if (control instanceof RouteAck ack && ack.origin().equals(region)) {
            acks.computeIfAbsent(ack.advertKey(), k -> new HashMap<>()).merge(ack.acker(), ack,
                    (known, fresh) -> fresh.seq() >= known.seq() ? fresh : known);
            advertKey = ack.advertKey();
        } else {
            return;
        }
        if (waiting.containsKey(advertKey) && isActiveEverywhere(advertKey)) {
            waiting.remove(advertKey).forEach(future -> future.complete(null));
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        ConsumerThreads.stop(thread, consumer);
    }
}
