package io.meshwork.controlplane.internal.dashboard;

import io.meshwork.core.kafka.ConsumerThreads;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Every region's interest for the dashboard: follows each region's compacted {@code mesh.interest}
 * from its beginning (no consumer group, nothing committed) into an {@link InterestTable}.
 */
public final class RegionInterest implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RegionInterest.class);

    private final Map<String, Follower> followers = new TreeMap<>();

    public RegionInterest(Map<String, KafkaClients> regionKafka) {
        regionKafka.forEach((region, kafka) -> followers.put(region, new Follower(region, kafka)));
        followers.values().forEach(follower -> follower.thread.start());
    }

    /** Region → its live interest rows (see {@link InterestTable#view}). */
    public Map<String, Object> view() {
        long now = System.currentTimeMillis();
        Map<String, Object> regions = new LinkedHashMap<>();
        followers.forEach((region, follower) -> {
            synchronized (follower.table) {
                regions.put(region, follower.table.view(now));
            }
        });
        return regions;
    }

    @Override
    public void close() {
        for (Follower follower : followers.values()) {
            follower.running = false;
            try {
                ConsumerThreads.stop(follower.thread, follower.consumer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static final class Follower {
        private final String region;
        private final InterestTable table = new InterestTable();
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private volatile boolean running = true;

        Follower(String region, KafkaClients kafka) {
            this.region = region;
            this.consumer = kafka.consumer("control plane dashboard interest of " + region, Map.of(
                    ConsumerConfig.CLIENT_ID_CONFIG, "control-plane-dashboard-interest-" + region,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new ByteArrayDeserializer());
            this.thread = new Thread(this::run, "control-plane-dashboard-interest-" + region);
            this.thread.setDaemon(true);
        }

        private void run() {
            try {
                List<TopicPartition> partitions = List.of();
                while (running && partitions.isEmpty()) {
                    try {
                        partitions = consumer.partitionsFor(MeshKafkaTopics.INTEREST, Duration.ofSeconds(2)).stream()
                                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        LOG.debug("region {}: {} not reachable yet", region, MeshKafkaTopics.INTEREST);
                    }
                    if (partitions.isEmpty() && running) {
                        Thread.sleep(1_000); // the topic does not exist yet: ask again without spinning
                    }
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(500));
                    synchronized (table) {
                        for (ConsumerRecord<String, byte[]> record : records) {
                            table.apply(record.key(), record.value());
                        }
                    }
                }
            } catch (WakeupException | InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                LOG.warn("region {}: the dashboard stopped following {}: {}", region, MeshKafkaTopics.INTEREST, e.toString());
            } finally {
                consumer.close(ConsumerThreads.CLOSE_TIMEOUT);
            }
        }
    }
}
