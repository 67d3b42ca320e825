package io.meshwork.core.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * states) and {@code mesh.interest} (the dashboard's interest), and the edges' and control plane's
 * copies of {@code mesh.acls}, and the edges' retained messages ({@code mesh.retained}), are built
 * this way.
 */
public final class CompactedFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompactedFollower.class);

    private final String region;
    private final String topic;
    private final String name;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Consumer<ConsumerRecord<String, byte[]>> onRecord;
    private final Progress progress;
    private final Thread thread;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private volatile boolean running = true;

    /**
     * How far a follower has read, for an owner that lets others wait until a record it wrote is
     * applied (the edge's retained messages). Both are called on the follower's thread.
     */
    public interface Progress {

        /** After each poll: the next offset of each partition, every record before it handed over. */
        void readUpTo(Map<TopicPartition, Long> positions);

        /** Once, when the follower has stopped for good (closed, or failed). */
        void stopped();
    }

    private static final Progress NO_PROGRESS = new Progress() {
        @Override
        public void readUpTo(Map<TopicPartition, Long> positions) {
        }

        @Override
        public void stopped() {
        }
    };

    /** @param name names the client ({@code client.id}) and the thread, e.g. {@code control-plane-link-states-us-east-1} */
    public CompactedFollower(String region, String topic, String name, KafkaClients kafka,
                             Consumer<ConsumerRecord<String, byte[]>> onRecord) {
        this(region, topic, name, kafka, onRecord, NO_PROGRESS);
    }

    /** As {@link #CompactedFollower(String, String, String, KafkaClients, Consumer)}, telling {@code progress} how far it read. */
    public CompactedFollower(String region, String topic, String name, KafkaClients kafka,
                             Consumer<ConsumerRecord<String, byte[]>> onRecord, Progress progress) {
        this.region = region;
        this.topic = topic;
        this.name = name;
        this.onRecord = onRecord;
        this.progress = java.util.Objects.requireNonNull(progress, "progress");
        this.consumer = kafka.consumer(name + " (" + topic + " of " + region + ")", Map.of(
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

    /**
     * Completes once every record the topic held when the follower first reached it was handed to
     * the callback, so a reader can wait for the whole current state before it answers from it.
     */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
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
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    onRecord.accept(record);
                }
                Map<TopicPartition, Long> positions = new java.util.HashMap<>();
                partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
                if (!caughtUp.isDone() && ends.entrySet().stream().allMatch(end -> positions.get(end.getKey()) >= end.getValue())) {
                    caughtUp.complete(null);
                }
                progress.readUpTo(positions);
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("region {}: {} stopped following {}: {}", region, name, topic, e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(2));
            progress.stopped();
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
