package io.meshwork.router.routing;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this region's spools ({@code mesh.link.<neighbour>}) and, while a link is down,
 * re-sends what waits in its spool along the path the routing table now gives each
 * destination: events are not left stuck until the heal. Where to start comes from the
 * neighbour's own link state (how far its router processed this spool, per partition); without
 * it, from a fixed look-back. When the link heals, MirrorMaker drains the spool as usual and the
 * destination's dedup ledger drops what was already re-sent; its {@link ArrivalOrder} restores
 * the order across the two paths.
 *
 * <p>Several router instances of a region share the work: each re-sends only the spool
 * partitions whose number it owns ({@code ownedPartitions}, the arrival partitions its tasks
 * process), so a spooled event is re-sent once, not once per instance. When ownership moves (a
 * rebalance, an instance that died), the new owner starts again from what the neighbour
 * reported; what is sent twice meanwhile the destination drops.
 *
 * <p>Its thread also measures each spool's lag ({@link SpoolLag}) and counts events re-sent
 * ({@code mesh_link_rescued_total{from,to,via}}).
 */
public final class SpoolRescuer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SpoolRescuer.class);
    private static final Duration ROUND = Duration.ofMillis(500);

    private final String region;
    private final List<String> neighbours;
    private final RoutingTable routes;
    private final Duration fallbackLookback;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final SpoolLag lag;
    private final Supplier<Set<Integer>> ownedPartitions;
    /** Per neighbour being rescued: the routes and owned partitions the current read started under. */
    private final Map<String, RescueRound> rescueVersion = new HashMap<>();
    private final Map<String, Long> downSince = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** The routes version and the spool partitions owned when a neighbour's rescue (re)started. */
    private record RescueRound(long routesVersion, Set<Integer> owned) {
    }

    private SpoolRescuer(String region, List<String> neighbours, RoutingTable routes, Duration fallbackLookback,
                         Supplier<Set<Integer>> ownedPartitions, KafkaConsumer<String, byte[]> consumer,
                         KafkaProducer<String, byte[]> producer, SpoolLag lag) {
        this.region = region;
        this.ownedPartitions = ownedPartitions;
        this.neighbours = List.copyOf(neighbours);
        this.routes = routes;
        this.fallbackLookback = fallbackLookback;
        this.consumer = consumer;
        this.producer = producer;
        this.lag = lag;
        this.thread = new Thread(this::run, "spool-rescuer-" + region);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching the spools of {@code region}.
     *
     * @param fallbackLookback how far back to re-send from when the neighbour never said how far it got
     * @param ownedPartitions  the spool partition numbers this instance re-sends (asked every round)
     */
    public static SpoolRescuer start(String region, KafkaClients kafka, List<String> neighbours, RoutingTable routes,
                                     Duration fallbackLookback, Supplier<Set<Integer>> ownedPartitions) {
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("router " + region + " spool rescuer", Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-spool-" + region,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Routers write the spools in transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50),
                new StringDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer = kafka.producer("router " + region + " spool rescuer", Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "meshwork-spool-" + region,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
        SpoolRescuer rescuer = new SpoolRescuer(region, neighbours, routes, fallbackLookback, ownedPartitions, consumer, producer,
                new SpoolLag(region, kafka, neighbours, routes));
        rescuer.thread.start();
        return rescuer;
    }

    /** Records in the spool towards {@code neighbour} that it has not processed; -1 when unknown. */
    public long lag(String neighbour) {
        return lag.records(neighbour);
    }

    private void run() {
        while (running) {
            try {
                for (String neighbour : neighbours) {
                    lag.measure(neighbour);
                    if (routes.linkUp(neighbour)) {
                        stopRescue(neighbour);
                    } else {
                        rescue(neighbour);
                    }
                }
                if (consumer.assignment().isEmpty()) {
                    Thread.sleep(ROUND.toMillis()); // nothing to read: wait for the next round
                } else {
                    forwardPolled();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("region {}: spool rescue round failed ({}); retrying", region, e.toString());
            }
        }
    }

    private void rescue(String neighbour) {
        RescueRound round = new RescueRound(routes.version(), Set.copyOf(ownedPartitions.get()));
        if (round.equals(rescueVersion.get(neighbour))) {
            return; // already reading this spool under the current routes and ownership
        }
        // New routes (or a new outage): read the spool again from where the neighbour stopped;
        // whatever is sent twice the destination's dedup ledger drops.
        long since = downSince.computeIfAbsent(neighbour, n -> System.currentTimeMillis());
        rescueVersion.put(neighbour, round);
        Map<Integer, Long> processed = routes.stateOf(neighbour).map(s -> s.receivedFrom(region)).orElse(Map.of());
        List<TopicPartition> partitions = partitions(neighbour).stream().filter(p -> round.owned().contains(p.partition())).toList();
        Set<TopicPartition> assignment = new java.util.HashSet<>(consumer.assignment());
        assignment.removeIf(p -> p.topic().equals(MeshKafkaTopics.link(neighbour)));
        assignment.addAll(partitions);
        consumer.assign(assignment);
        if (partitions.isEmpty()) {
            LOG.info("region {}: link to {} is down; another router instance re-sends its spool", region, neighbour);
            return;
        }
        Map<TopicPartition, Long> byTime = new HashMap<>();
        Map<Integer, Long> startAt = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            Long newest = processed.get(partition.partition());
            if (newest != null) {
                consumer.seek(partition, newest + 1); // right after what the neighbour processed
                startAt.put(partition.partition(), newest + 1);
            } else {
                byTime.put(partition, since - fallbackLookback.toMillis());
            }
        }
        if (!byTime.isEmpty()) {
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(byTime, Duration.ofSeconds(5));
            for (TopicPartition partition : byTime.keySet()) {
                OffsetAndTimestamp offset = offsets.get(partition);
                if (offset == null) {
                    consumer.seekToEnd(List.of(partition));
                } else {
                    consumer.seek(partition, offset.offset());
                    startAt.put(partition.partition(), offset.offset());
                }
            }
        }
        LOG.warn("region {}: link to {} is down; re-sending its spool partitions {} along the current routes {} from offsets {}",
                region, neighbour, round.owned(), routes.current().next(), startAt);
    }

    private void stopRescue(String neighbour) {
        downSince.remove(neighbour);
        if (rescueVersion.remove(neighbour) == null) {
            return;
        }
        Set<TopicPartition> assignment = new java.util.HashSet<>(consumer.assignment());
        assignment.removeIf(p -> p.topic().equals(MeshKafkaTopics.link(neighbour)));
        consumer.assign(assignment);
        LOG.info("region {}: link to {} is up again; its spool drains over it", region, neighbour);
    }

    private void forwardPolled() {
        int sent = 0;
        Map<String, Integer> byRoute = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : consumer.poll(ROUND)) {
            String from = record.topic().substring(MeshKafkaTopics.LINK_PREFIX.length());
            Map<String, Set<String>> byHop = new TreeMap<>();
            for (String destination : MeshHeaderCodec.destinations(record.headers())) {
                Optional<String> hop = routes.current().towards(destination);
                if (hop.isPresent() && !hop.get().equals(from)) {
                    byHop.computeIfAbsent(hop.get(), h -> new TreeSet<>()).add(destination);
                }
            }
            for (Map.Entry<String, Set<String>> entry : byHop.entrySet()) {
                // Same partition number: the copy stays in its stream (mesh_seq) on the new path.
                ProducerRecord<String, byte[]> copy = new ProducerRecord<>(MeshKafkaTopics.link(entry.getKey()), record.partition(),
                        record.timestamp(), record.key(), record.value());
                record.headers().forEach(copy.headers()::add);
                MeshHeaderCodec.writeDestinations(copy.headers(), entry.getValue());
                producer.send(copy);
                rescued(from, entry.getKey()).increment();
                byRoute.merge(from + " via " + entry.getKey(), 1, Integer::sum);
                sent++;
            }
        }
        if (sent > 0) {
            producer.flush();
            LOG.info("region {}: re-sent {} spooled events ({})", region, sent, byRoute);
        }
    }

    private Counter rescued(String from, String via) {
        return Counter.builder("mesh.link.rescued")
                .description("Spooled events re-sent along another path while their link was down")
                .tags("from", region, "to", from, "via", via).register(MeshMetrics.registry());
    }

    private List<TopicPartition> partitions(String neighbour) {
        String topic = MeshKafkaTopics.link(neighbour);
        return consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
        producer.close(Duration.ofSeconds(2));
        lag.close();
    }
}
