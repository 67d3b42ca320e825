package io.meshwork.core.interest;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records this edge's subscriptions as interest on the region's compacted {@code mesh.interest}.
 *
 * <p>Reference-counted: a thousand subscribers of one (pattern, selector) on this edge are one
 * record, written when the first subscribes and tombstoned when the last leaves. A lease record,
 * renewed every quarter of its time to live, tells the router the entries are still backed by a
 * live edge; if the edge dies without deregistering, they expire with the lease.
 *
 * <p>A subscriber whose connection ended without unsubscribing {@linkplain #depart departs}: its
 * reference is released only after the grace period, so a client reconnecting to this edge or
 * another edge of the region does not make the region withdraw its interest across the mesh in
 * between. For the same reason the lease outlives its last renewal by at least the grace period,
 * so the interest of a killed edge's clients lasts that long too.
 */
public final class InterestPublisher implements InterestSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InterestPublisher.class);

    private final String region;
    private final String edgeId;
    private final Duration leaseTtl;
    private final Duration grace;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService renewer;
    private final Map<InterestKey, Integer> references = new HashMap<>();
    /** Per held entry, where its record landed on {@code mesh.interest}: routed delivery waits for the router to pass it. */
    private final Map<InterestKey, CompletableFuture<Long>> written = new HashMap<>();
    private boolean closed;

    public InterestPublisher(KafkaClients kafka, String region, String edgeId, Duration leaseTtl) {
        this(kafka, region, edgeId, leaseTtl, Duration.ZERO);
    }

    /** @param grace how long a departed subscriber's interest is kept (zero: released at once) */
    public InterestPublisher(KafkaClients kafka, String region, String edgeId, Duration leaseTtl, Duration grace) {
        this.region = region;
        this.edgeId = edgeId;
        this.leaseTtl = leaseTtl;
        this.grace = grace;
        this.producer = kafka.producer("edge " + region + " interest", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "edge-interest-" + edgeId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // Sends happen on WebSocket threads: never wait long for metadata there.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000),
                new StringSerializer(), new ByteArraySerializer());
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "edge-lease-" + edgeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Writes the first lease and keeps renewing it. */
    public void start() {
        renewLease();
        renewer.scheduleAtFixedRate(this::renewLease, renewEveryMs(), renewEveryMs(), TimeUnit.MILLISECONDS);
    }

    private long renewEveryMs() {
        return Math.max(100, leaseTtl.toMillis() / 4);
    }

    /**
     * How long a written lease lasts: its time to live, and never less than the grace period after
     * the last renewal a killed edge managed (renewals come every {@link #renewEveryMs}).
     */
    private long leaseLastsMs() {
        return Math.max(leaseTtl.toMillis(), grace.toMillis() + renewEveryMs());
    }

    /** The id this edge's entries are recorded under. */
    public String edgeId() {
        return edgeId;
    }

    @Override
    public synchronized void acquire(String pattern, String selector) {
        InterestKey key = InterestKey.subscription(edgeId, pattern, selector);
        if (references.merge(key, 1, Integer::sum) == 1 && !closed) {
            written.put(key, send(key, region.getBytes(StandardCharsets.UTF_8)));
            LOG.debug("region {}: edge {} registered interest in {}", region, edgeId, pattern);
        }
    }

    @Override
    public synchronized void release(String pattern, String selector) {
        InterestKey key = InterestKey.subscription(edgeId, pattern, selector);
        Integer remaining = references.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
        if (remaining == null) {
            written.remove(key);
        }
        if (remaining == null && !closed) {
            send(key, null);
            LOG.debug("region {}: edge {} withdrew interest in {}", region, edgeId, pattern);
        }
    }

    /**
     * Releases the subscriber's reference after the grace period: its connection ended without an
     * unsubscribe, and the client may come back (here or on another edge) within it.
     */
    @Override
    public void depart(String pattern, String selector) {
        if (grace.isZero()) {
            release(pattern, selector);
            return;
        }
        try {
            renewer.schedule(() -> release(pattern, selector), grace.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("region {}: edge {} keeps interest in {} for {} ms after its subscriber left", region, edgeId, pattern,
                    grace.toMillis());
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            release(pattern, selector); // the edge is stopping: close() or abandon() decides what stays
        }
    }

    /**
     * The offset on {@code mesh.interest} of the record this edge wrote for the entry it holds
     * for (pattern, selector); empty when it holds none (the subscriber already left, or the edge
     * is closing). Completes exceptionally if the write failed.
     */
    public synchronized Optional<CompletableFuture<Long>> writtenAt(String pattern, String selector) {
        return Optional.ofNullable(written.get(InterestKey.subscription(edgeId, pattern, selector)));
    }

    /** Number of distinct (pattern, selector) entries this edge holds. */
    public synchronized int entryCount() {
        return references.size();
    }

    private void renewLease() {
        try {
            send(InterestKey.lease(edgeId), new EdgeLease(region, System.currentTimeMillis() + leaseLastsMs()).encode());
        } catch (RuntimeException e) {
            LOG.warn("region {}: edge {} could not renew its interest lease: {}", region, edgeId, e.toString());
        }
    }

    private CompletableFuture<Long> send(InterestKey key, byte[] value) {
        CompletableFuture<Long> offset = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(MeshKafkaTopics.INTEREST, key.encode(), value), (metadata, error) -> {
            if (error != null) {
                LOG.warn("region {}: edge {} could not write interest {}: {}", region, edgeId, key.encode(), error.toString());
                offset.completeExceptionally(error);
            } else {
                offset.complete(metadata.offset());
            }
        });
        return offset;
    }

    /** Deregisters: tombstones every entry and the lease, then stops. */
    @Override
    public void close() {
        renewer.shutdownNow();
        List<InterestKey> keys;
        synchronized (this) {
            closed = true;
            keys = List.copyOf(references.keySet());
            references.clear();
            written.clear();
        }
        keys.forEach(key -> send(key, null));
        send(InterestKey.lease(edgeId), null);
        producer.close(Duration.ofSeconds(10));
    }

    /**
     * Stops without deregistering, as a crashed edge would: the entries stay on
     * {@code mesh.interest} until the router sees the lease expire.
     */
    public void abandon() {
        renewer.shutdownNow();
        synchronized (this) {
            closed = true;
        }
        producer.close(Duration.ofSeconds(10));
    }
}
