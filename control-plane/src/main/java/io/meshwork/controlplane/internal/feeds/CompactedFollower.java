package io.meshwork.controlplane.internal.feeds;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
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
 * Follows one compacted topic of one region from its beginning, on a thread of its own, handing
 * every committed record to a callback: no consumer group and nothing committed, so each start
 * reads the topic's whole current state. The control plane's views of {@code mesh.routes} (link
 * states) and {@code mesh.interest} (the dashboard's interest) are built this way.
 */
public final class CompactedFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedFollower.class);

    private final String region;
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param name names the client ({@code client.id}) and the thread, e.g. {@code control-plane-link-states-us-east-1} */
    public CompactedFollower(String region, String topic, String name, KafkaClients kafka,
                             Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this.region = region;
        this.topic = topic;
        this.onRecord = onRecord;
        this.consumer = kafka.consumer("control plane " + topic + " of " + region, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                try {
                    partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    LOG.debug("region {}: {} not reachable yet", region, topic);
                }
                if (partitions.isEmpty() && running) {
                    Thread.sleep(1_000); // the topic does not exist yet: ask again without spinning
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    onRecord.accept(record);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("region {}: the control plane stopped following {}: {}", region, topic, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
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
    }
}
