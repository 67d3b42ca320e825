package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One directed data link run by its <em>origin</em> region: reads the origin's spool
 * {@code mesh.link.<target>} locally ({@code read_committed}: the router writes it in
 * transactions), passes each record through the link's SMTs ({@link LinkConfigs#linkGuards}, the
 * same MirrorMaker applies) and produces it across the WAN into the target's
 * {@code <origin>.mesh.link.<target>}, same partition, exactly where MirrorMaker 2 would put it.
 *
 * <p>Why push: a pulling consumer across the WAN sends its next fetch only after the previous
 * answer came back, so an event waits up to a whole round trip for a fetch to carry it. A producer
 * sends an event the moment it is read, with many requests in flight on one connection (so in
 * order), and the event pays the one-way delay and little else.
 *
 * <p>Progress ({@link LinkProgress}) is committed in the origin's cluster, and only up to what the
 * target acknowledged: at-least-once, the destination's dedup ledger and arrival order absorb
 * what a rewind or a restart sends twice. A cut link leaves the backlog in the spool: a send that
 * fails (reset connection, no answer within the request timeout, no metadata from an unreachable
 * neighbour) rewinds the link to the last acknowledged offsets with a new producer, and it tries
 * again a second later; nothing is dropped, and the producer never retries on its own (a retry
 * would land behind newer records). The one exception is a record the neighbour refuses for good
 * (too large for its topic, a timestamp outside its window): it goes to the origin's
 * {@code mesh.dlq} with the reason ({@link LinkDeadLetters}) and the link goes on, instead of
 * rewinding to it for ever.
 *
 * <p>Each run of the link is a {@link LinkPump}. One that fails unexpectedly (anything but the
 * failed sends above, which rewind within the run) does not end the link: it commits what the
 * target acknowledged, closes, and a new run starts from there after a backoff
 * ({@link #RESTART_BACKOFF}: 1 s, doubling up to 30 s), with one WARN per
 * restart and the counter {@code mesh_link_restarts_total{link}}: otherwise the region would
 * stop sending to the neighbour, silently, until the process restarts. Closing still just stops it.
 */
final class PushLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PushLink.class);
    /** Waits before restarts after unexpected failures: 1 s, doubling to 30 s while the failures repeat. */
    static final RestartBackoff RESTART_BACKOFF = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    /** Reading stops while this many records wait for the neighbour's acknowledgement: a dead link holds no more in memory. */
    static final int MAX_OUTSTANDING = 20_000;
    /**
     * Requests in flight on the link's connection: never the limit. Once all are out, events
     * wait and leave in clumps a round trip apart, which is what capped the idempotent producer
     * (5); at 1,000 events/s over 180 ms even small batches keep dozens of requests out.
     */
    static final int MAX_IN_FLIGHT_REQUESTS = 1_000;
    /**
     * How long a batch waits for more events. At 0 every event becomes a request of its own at
     * 1,000/s, and each costs CPU on both brokers (and, embedded, in the WAN emulator's threads),
     * which a busy host pays in latency; 5 ms cuts the requests about five-fold for at most 5 ms.
     * Measured on us->ap in the embedded mesh, quietest runs: 0 ms gave +4/+24 ms p50/p99 at
     * 100/s and +12/+82 at 1,000/s; 5 ms gave +8/+16 and +6/+15 (ranges in docs/ARCHITECTURE.md).
     */
    static final int LINGER_MS = 5;
    /** How long a send may wait for its answer before the link rewinds. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(30);

    private final String origin;
    private final String target;
    private final String link;
    private final KafkaClients local;
    private final KafkaClients targetKafka;
    private final Duration deliveryTimeout;
    private final AtomicInteger rewinds = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final Counter restartCounter;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Thread thread;
    /** Where failed runs got to, for the next run; only the link's thread uses it. */
    private final Map<TopicPartition, Long> acknowledged = new HashMap<>();
    private volatile boolean running = true;
    /** The run in progress, so that close() can wake it; guarded by this. */
    private LinkPump pump;

    private PushLink(String origin, String target, KafkaClients local, KafkaClients targetKafka, Duration deliveryTimeout) {
        this.origin = origin;
        this.target = target;
        this.link = origin + "->" + target;
        this.local = local;
        this.targetKafka = targetKafka;
        this.deliveryTimeout = deliveryTimeout;
        this.restartCounter = Counter.builder("mesh.link.restarts")
                .description("Times a push link restarted itself from its committed offsets after an unexpected failure")
                .tag("link", link).register(MeshMetrics.registry());
        // The first run is made here: settings a consumer refuses fail start(), not a restart loop.
        this.pump = newPump();
        this.thread = new Thread(this::run, "push-link-" + link);
        this.thread.setDaemon(true);
    }

    /**
     * Starts pushing {@code origin}'s spool for {@code target} into the target's cluster.
     *
     * @param local       the origin's cluster
     * @param targetKafka the target's cluster, reached across the link (origin &rarr; target)
     */
    static PushLink start(String origin, String target, KafkaClients local, KafkaClients targetKafka) {
        return start(origin, target, local, targetKafka, DELIVERY_TIMEOUT);
    }

    /**
     * @param deliveryTimeout how long a send may stay unanswered before the link rewinds (the
     *                        request timeout is half of it, at most 10 s); at least two seconds
     */
    static PushLink start(String origin, String target, KafkaClients local, KafkaClients targetKafka, Duration deliveryTimeout) {
        if (deliveryTimeout.toMillis() < 2_000) {
            throw new IllegalArgumentException("deliveryTimeout must be at least 2 s, was " + deliveryTimeout);
        }
        PushLink pushLink = new PushLink(origin, target, local, targetKafka, deliveryTimeout);
        pushLink.thread.start();
        return pushLink;
    }

    static Map<String, Object> consumerConfig(String origin, String target, KafkaClients local) {
        return local.config("link " + origin + "->" + target, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "meshwork-link-" + origin + "-to-" + target,
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-link-" + origin + "->" + target,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // The router writes the spool in transactions: never carry aborted records.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                // Records of 4 MiB (a 1 MiB payload plus headers) must fit a fetch.
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, LinkConfigs.MAX_REQUEST_SIZE_BYTES,
                // Partitions added to the spool show within this (LinkPump looks as often).
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) LinkPump.PARTITION_CHECK.toMillis()));
    }

    static Map<String, Object> producerConfig(String link, KafkaClients targetKafka, Duration deliveryTimeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "meshwork-link-" + link);
        // Not idempotent, on purpose: an idempotent producer keeps at most 5 requests in flight
        // per connection, i.e. 5 per round trip (27 requests/s at 180 ms), and once they are all
        // out, events queue and leave in clumps a round trip apart (measured: +41..177 ms p50 at
        // 100/s on us->ap, a 180 ms saw-tooth). With many requests in flight on one connection the
        // broker still appends them in the order sent; without producer retries nothing is ever
        // re-sent behind newer records. Any failed send rewinds the link instead (see rewind()):
        // what it sends twice, the destination's dedup ledger drops.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.RETRIES_CONFIG, 0);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, MAX_IN_FLIGHT_REQUESTS);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        // As the spool: the WAN carries what the disk keeps.
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LinkConfigs.MAX_REQUEST_SIZE_BYTES);
        // A failed send rewinds the link (nothing is dropped); these bound how long an unanswered
        // request holds records before that, and how long a send waits for the neighbour's metadata.
        int delivery = (int) deliveryTimeout.toMillis();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, delivery);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, delivery / 2));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(5_000, delivery / 2));
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        return targetKafka.config("link " + link + " (far side)", config);
    }

    private void run() {
        Duration wait = null;
        LinkPump next = pump;
        while (next != null) {
            long startedAt = System.nanoTime();
            try {
                next.run();
                return; // closed
            } catch (WakeupException e) {
                return; // closing
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                next.acknowledged().forEach((partition, position) -> acknowledged.merge(partition, position, Math::max));
                wait = RESTART_BACKOFF.after(wait, Duration.ofNanos(System.nanoTime() - startedAt));
                restartAfter(e, wait);
            }
            next = nextPump();
        }
    }

    /** Counts and logs the restart (the stack trace with the first only), then waits {@code backoff} unless closed meanwhile. */
    private void restartAfter(RuntimeException cause, Duration backoff) {
        int restart = restarts.incrementAndGet();
        restartCounter.increment();
        String message = "link {}: stopped by an unexpected {} ({}); restart {} in {} ms, resuming {} from what {} acknowledged";
        Object[] args = {link, cause.getClass().getSimpleName(), cause.getMessage(), restart, backoff.toMillis(),
                MeshKafkaTopics.link(target), target};
        if (restart == 1) {
            Object[] withTrace = Arrays.copyOf(args, args.length + 1);
            withTrace[args.length] = cause;
            LOG.warn(message, withTrace);
        } else {
            LOG.warn(message, args);
        }
        try {
            closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** A new run, unless the link is closing; a run that cannot even be made counts as a failed run. */
    private LinkPump nextPump() {
        while (running) {
            try {
                synchronized (this) {
                    if (!running) {
                        return null;
                    }
                    pump = newPump();
                    return pump;
                }
            } catch (RuntimeException e) {
                restartAfter(e, RESTART_BACKOFF.longest());
            }
        }
        return null;
    }

    private LinkPump newPump() {
        return new LinkPump(origin, target, local, targetKafka, deliveryTimeout, () -> running, rewinds, acknowledged);
    }

    /** How many times the link gave up on in-flight sends and re-sent from the last acknowledged offsets. */
    int rewinds() {
        return rewinds.get();
    }

    /** How many times the link restarted itself after an unexpected failure. */
    int restarts() {
        return restarts.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            running = false;
            pump.wakeup();
        }
        closing.countDown();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
