package io.meshwork.connectors.links;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control half of one directed link: relays the neighbour's {@code mesh.routes} (route
 * adverts, acknowledgements, link states, which double as heartbeats) into this region's
 * {@code <neighbour>.mesh.routes}, on connections of its own. Control records never share a
 * fetch, a task or a queue with the data spool, so a backlog of events on the link cannot delay
 * a heartbeat and make a healthy link look down (DESIGN.md 2.2).
 *
 * <p>Each relayed record carries the link's measured round-trip time ({@link RttProbe}) in
 * {@link MeshHeaders#LINK_RTT}; the router uses it as the link's cost. Records that originated
 * in this region, or that the neighbour learned from this region, are not handed back (split
 * horizon). Progress is committed in the neighbour's cluster (group
 * {@code meshwork-control-<region>}) after the records are written here, so a restart resumes
 * where it stopped and nothing accepted is skipped.
 */
final class ControlChannel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String neighbour;
    private final String region;
    private final String target;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final RttProbe rtt;
    private final Thread thread;
    private volatile boolean running = true;

    private ControlChannel(String neighbour, String region, KafkaConsumer<String, byte[]> consumer,
                           KafkaProducer<String, byte[]> producer, RttProbe rtt) {
        this.neighbour = neighbour;
        this.region = region;
        this.target = MeshKafkaTopics.remoteRoutes(neighbour);
        this.consumer = consumer;
        this.producer = producer;
        this.rtt = rtt;
        this.thread = new Thread(this::run, "control-" + neighbour + "->" + region);
        this.thread.setDaemon(true);
    }

    /**
     * Starts relaying from {@code neighbour} into {@code region}.
     *
     * @param neighbourKafka    the neighbour's cluster, reached across the link
     * @param local             this region's cluster
     * @param replicationFactor  for {@code <neighbour>.mesh.routes} if it has to be created
     */
    static ControlChannel start(String neighbour, String region, KafkaClients neighbourKafka, KafkaClients local,
                                int replicationFactor, Duration rttProbeInterval) {
        ensureTarget(neighbour, local, replicationFactor);
        String link = neighbour + "->" + region;
        KafkaConsumer<String, byte[]> consumer = neighbourKafka.consumer("control channel " + link, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "meshwork-control-" + region,
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-control-" + link,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Routers write mesh.routes in transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000),
                new StringDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<String, byte[]> producer = local.producer("control channel " + link, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "meshwork-control-" + link,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        ControlChannel channel = new ControlChannel(neighbour, region, consumer, producer,
                RttProbe.start(link, neighbourKafka, rttProbeInterval));
        channel.thread.start();
        return channel;
    }

    /** The link's measured round-trip time, once known. */
    OptionalLong rttMs() {
        return rtt.rttMs();
    }

    private void run() {
        try {
            assign();
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!handsBack(record)) {
                        producer.send(relayed(record));
                    }
                }
                producer.flush();
                consumer.commitAsync((offsets, error) -> {
                    if (error != null) {
                        LOG.debug("link {}->{}: control progress not committed ({}); records may be relayed twice",
                                neighbour, region, error.getMessage());
                    }
                });
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("link {}->{}: control channel stopped", neighbour, region, e);
        } finally {
            try {
                consumer.commitSync(Duration.ofSeconds(2)); // what was relayed is not relayed again after a restart
            } catch (RuntimeException e) {
                LOG.debug("link {}->{}: control progress not committed on close ({})", neighbour, region, e.getMessage());
            }
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Takes every partition of the neighbour's {@code mesh.routes} (no group membership, hence no
     * rebalance when the link comes back) and resumes from the committed progress, or from the
     * beginning the first time. Waits for the neighbour while the link is down.
     */
    private void assign() {
        while (running) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(MeshKafkaTopics.ROUTES, Duration.ofSeconds(2)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(2));
                consumer.assign(partitions);
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata progress = committed.get(partition);
                    if (progress == null) {
                        consumer.seekToBeginning(List.of(partition));
                    } else {
                        consumer.seek(partition, progress);
                    }
                }
                LOG.info("link {}->{}: control channel relaying {} into {}", neighbour, region, MeshKafkaTopics.ROUTES, target);
                return;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("link {}->{}: neighbour not reachable yet for its control topic", neighbour, region);
            }
        }
    }

    /** Split horizon: never return to this region what it sent or what was learned from it. */
    private boolean handsBack(ConsumerRecord<String, byte[]> record) {
        return MeshHeaderCodec.learnedFrom(record.headers()).filter(region::equals).isPresent();
    }

    private ProducerRecord<String, byte[]> relayed(ConsumerRecord<String, byte[]> record) {
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(target, null, record.timestamp(), record.key(), record.value());
        Headers headers = copy.headers();
        record.headers().forEach(headers::add);
        OptionalLong measured = rtt.rttMs();
        if (measured.isPresent()) {
            MeshHeaderCodec.writeLinkRttMs(headers, measured.getAsLong());
        } else {
            // A stamp from an earlier link is not this link's RTT.
            headers.remove(MeshHeaders.LINK_RTT);
        }
        return copy;
    }

    private static void ensureTarget(String neighbour, KafkaClients local, int replicationFactor) {
        String topic = MeshKafkaTopics.remoteRoutes(neighbour);
        try (Admin admin = local.admin("control channel " + neighbour + " target")) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            if (!existing.contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) replicationFactor)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic + ": cluster at " + local.bootstrapServers() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        }
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
        producer.close(Duration.ofSeconds(2));
        rtt.close();
    }
}
