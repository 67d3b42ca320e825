package io.meshwork.bench.latency;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.WsSubscriber;
import io.meshwork.launcher.RegionEndpoints;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Kafka-native publish (a plain {@link KafkaProducer} writing the CloudEvents Kafka binding to
 * {@code mesh.events}, configured as the raw baseline's) → WebSocket subscriber, one region: the
 * mesh's own delivery path without any edge ingress in front of it.
 */
final class KafkaToWebSocket implements LatencyPath {

    private final BenchMesh mesh;
    private final String regionName;
    private final RegionEndpoints region;
    private final String topic = "bench/latency/kafka/" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong failures = new AtomicLong();
    private KafkaProducer<String, byte[]> producer;
    private WsSubscriber subscriber;

    KafkaToWebSocket(BenchMesh mesh, String regionName) {
        this.mesh = mesh;
        this.regionName = regionName;
        this.region = mesh.mesh().region(regionName);
    }

    @Override
    public String name() {
        return "Kafka -> WebSocket";
    }

    @Override
    public void open(LatencyRecorder recorder) throws Exception {
        producer = mesh.producer(regionName);
        subscriber = WsSubscriber.connect(region.streamUrl(), (t, published, received) -> {
            if (published >= 0) {
                recorder.record(published, received);
            }
        });
        subscriber.subscribe(topic + "/#", "SUBSCRIBED", Duration.ofSeconds(30));
    }

    @Override
    public void publish(long sequence, long scheduledNanos, int size) {
        producer.send(BenchMesh.event(topic + "/e", topic + "-" + sequence, Payloads.timed(scheduledNanos, sequence, size)), BenchMesh.countingFailures(failures));
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() throws Exception {
        try {
            if (subscriber != null) {
                subscriber.close();
            }
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }
}
