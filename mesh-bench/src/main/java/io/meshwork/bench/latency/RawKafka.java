package io.meshwork.bench.latency;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Payloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The baseline: a plain KafkaProducer (acks=all, no linger, as the edge's) → a plain
 * KafkaConsumer (default fetch settings) on a topic of its own on the same broker.
 */
final class RawKafka implements LatencyPath {

    private final BenchMesh mesh;
    private final String region;
    private final String topic = "bench.latency.raw." + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong failures = new AtomicLong();
    private KafkaProducer<String, byte[]> producer;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread poller;
    private volatile boolean running = true;

    RawKafka(BenchMesh mesh, String region) {
        this.mesh = mesh;
        this.region = region;
    }

    @Override
    public String name() {
        return "raw Kafka produce -> consume";
    }

    @Override
    public void open(LatencyRecorder recorder) throws Exception {
        // Same partition count as mesh.events.
        mesh.mesh().cluster(region).createTopic(topic, 3, Map.of());
        producer = mesh.producer(region);
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.mesh().region(region).bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        poller = new Thread(() -> {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        long received = System.nanoTime();
                        long published = Payloads.timeOf(record.value());
                        if (published >= 0) {
                            recorder.record(published, received);
                        }
                    }
                }
            } catch (WakeupException e) {
                // Closing.
            } finally {
                consumer.close();
            }
        }, "bench-raw-consumer");
        poller.start();
    }

    @Override
    public void publish(long sequence, long scheduledNanos, int size) {
        // The same record the edge writes for a publish: CloudEvents headers, keyed by the mesh
        // topic (so one partition, as the mesh paths' single topic).
        ProducerRecord<String, byte[]> event = BenchMesh.event(topic, topic + "-" + sequence, Payloads.timed(scheduledNanos, sequence, size));
        producer.send(new ProducerRecord<>(topic, null, event.key(), event.value(), event.headers()), BenchMesh.countingFailures(failures));
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (poller != null) {
            poller.join(10_000);
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
