package io.meshwork.bench.harness;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.MeshProgress;
import io.meshwork.topology.TopologyLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The real embedded three-region mesh, started in this JVM for the load benchmarks. */
public final class BenchMesh implements AutoCloseable {

    public static final String US = "us-east-1";
    public static final String EU = "eu-west-1";
    public static final String AP = "ap-southeast-1";

    private final EmbeddedMesh mesh;
    private final Duration startup;

    private BenchMesh(EmbeddedMesh mesh, Duration startup) {
        this.mesh = mesh;
        this.startup = startup;
    }

    /** Starts the mesh of the embedded topology on free ports. */
    public static BenchMesh start() throws Exception {
        long started = System.nanoTime();
        EmbeddedMesh mesh = EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE),
                EmbeddedMesh.Ports.EPHEMERAL, MeshProgress.SILENT);
        return new BenchMesh(mesh, Duration.ofNanos(System.nanoTime() - started));
    }

    public EmbeddedMesh mesh() {
        return mesh;
    }

    public Duration startup() {
        return startup;
    }

    /** A producer on {@code region}'s cluster configured as the edge's is (acks=all, no linger). */
    public KafkaProducer<String, byte[]> producer(String region) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.region(region).bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A send callback that counts the sends Kafka refused into {@code failures}. */
    public static Callback countingFailures(AtomicLong failures) {
        return (metadata, error) -> {
            if (error != null) {
                failures.incrementAndGet();
            }
        };
    }

    /** A CloudEvent in the Kafka binding (binary mode) on {@code mesh.events}: how a Kafka-native client publishes. */
    public static ProducerRecord<String, byte[]> event(String topic, String id, byte[] payload) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshKafkaTopics.EVENTS, topic, payload);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", id);
        header(record, "ce_source", "/bench");
        header(record, "ce_type", "bench.event");
        header(record, "ce_meshtopic", topic);
        header(record, "content-type", "application/json");
        return record;
    }

    /** Bytes the routers count for a record: key, value and headers (as {@code mesh_link_bytes_total}). */
    public static long recordBytes(ProducerRecord<String, byte[]> record) {
        long bytes = record.key() == null ? 0 : record.key().getBytes(StandardCharsets.UTF_8).length;
        bytes += record.value() == null ? 0 : record.value().length;
        for (var header : record.headers()) {
            bytes += header.key().getBytes(StandardCharsets.UTF_8).length + (header.value() == null ? 0 : header.value().length);
        }
        return bytes;
    }

    private static void header(ProducerRecord<String, byte[]> record, String key, String value) {
        record.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code mesh_link_bytes_total{from,to}} as this JVM's routers counted it. */
    public static double linkBytes(String from, String to) {
        return MeshMetrics.registry().find("mesh.link.bytes").tag("from", from).tag("to", to).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** {@code mesh_link_events_total{from,to}}. */
    public static double linkEvents(String from, String to) {
        return MeshMetrics.registry().find("mesh.link.events").tag("from", from).tag("to", to).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
        mesh.close();
    }
}
