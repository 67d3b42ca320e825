package io.meshwork.bench.latency;

import static org.awaitility.Awaitility.await;

import static io.meshwork.bench.harness.BenchMesh.AP;
import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Pacer;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.Percentiles;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.StageFigures;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.WsSubscriber;
import io.meshwork.bench.wan.DefaultMirrorHop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Item 6: an event published in us-east-1 (Kafka-native producer) and delivered to a WebSocket
 * subscriber in ap-southeast-1, against the same producer → a default MirrorMaker 2 hop → a plain
 * consumer in ap-southeast-1, both across the emulated 180 ms link. "Added" latency is what
 * remains after the emulated one-way delay of the data (RTT/2: a long-polling fetch gets data
 * half a round trip after it was written).
 */
public final class CrossRegionLatencyBench {

    private static final double TARGET_ADDED_P99_MS = 50;

    private CrossRegionLatencyBench() {
    }

    public static List<Row> run(BenchMesh mesh, int[] rates, Duration warmup, Duration measure) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int rate : rates) {
            rows.addAll(run(mesh, rate, warmup, measure));
        }
        return rows;
    }

    private static List<Row> run(BenchMesh mesh, int rate, Duration warmup, Duration measure) throws Exception {
        double oneWayMs = mesh.mesh().wan().link(US, AP).rtt().toMillis() / 2.0;
        String run = UUID.randomUUID().toString().substring(0, 8) + "-" + rate;
        StageFigures stagesBefore = StageFigures.read();
        Measured meshHop = meshHop(mesh, run, rate, warmup, measure);
        List<Row> stages = StageFigures.read().rowsSince(stagesBefore, "mesh us-east-1 -> ap-southeast-1 @ " + rate + "/s, warm-up included");
        Measured mirrorHop = mirrorHop(mesh, run, rate, warmup, measure);
        Percentiles meshAdded = meshHop.millis().minus(oneWayMs);
        Percentiles mirrorAdded = mirrorHop.millis().minus(oneWayMs);
        String baseline = "default MM2 hop: ";
        List<Row> rows = new ArrayList<>();
        String label = String.format(Locale.ROOT, " us-east-1 -> ap-southeast-1 over %.0f ms one-way, %d/s (mesh %d/%d delivered, MM2 %d/%d)",
                oneWayMs, rate, meshHop.delivered(), meshHop.sent(), mirrorHop.delivered(), mirrorHop.sent());
        rows.add(new Row("added latency p50," + label, ResultTable.ms(meshAdded.p50()), baseline + ResultTable.ms(mirrorAdded.p50()),
                ResultTable.ratio(meshAdded.p50(), mirrorAdded.p50()), "-", "-"));
        rows.add(new Row("added latency p99," + label, ResultTable.ms(meshAdded.p99()), baseline + ResultTable.ms(mirrorAdded.p99()),
                ResultTable.ratio(meshAdded.p99(), mirrorAdded.p99()), "<= 50 ms",
                ResultTable.met(meshAdded.p99() <= TARGET_ADDED_P99_MS && meshHop.delivered() >= meshHop.sent() * 0.99)));
        rows.add(new Row("end-to-end latency p50 / p99," + label, ResultTable.ms(meshHop.millis().p50()) + " / " + ResultTable.ms(meshHop.millis().p99()),
                baseline + ResultTable.ms(mirrorHop.millis().p50()) + " / " + ResultTable.ms(mirrorHop.millis().p99()), "-", "-", "-"));
        rows.addAll(stages);
        return rows;
    }

    record Measured(Percentiles millis, long sent, long delivered) {
    }

    private static Measured meshHop(BenchMesh mesh, String run, int rate, Duration warmup, Duration measure) throws Exception {
        String prefix = "bench/xregion/" + run;
        LatencyRecorder recorder = new LatencyRecorder(rate * (int) (warmup.plus(measure).toSeconds() + 5));
        try (KafkaProducer<String, byte[]> us = mesh.producer(US);
             WsSubscriber asia = WsSubscriber.connect(mesh.mesh().region(AP).streamUrl(), (topic, published, received) -> {
                 if (published >= 0) {
                     recorder.record(published, received);
                 }
             })) {
            asia.subscribe(prefix + "/#", "MESH_ACTIVE", Duration.ofSeconds(30));
            return paced(recorder, rate, warmup, measure, (seq, scheduled) -> us.send(BenchMesh.event(prefix + "/e", run + "-" + seq,
                    Payloads.timed(scheduled, seq, LocalLatencyBench.EVENT_BYTES))));
        }
    }

    private static Measured mirrorHop(BenchMesh mesh, String run, int rate, Duration warmup, Duration measure) throws Exception {
        String topic = "bench.xregion.mm2." + run;
        mesh.mesh().cluster(US).createTopic(topic, 1, Map.of());
        LatencyRecorder recorder = new LatencyRecorder(rate * (int) (warmup.plus(measure).toSeconds() + 5));
        try (DefaultMirrorHop hop = DefaultMirrorHop.start(mesh, US, AP, topic);
             KafkaProducer<String, byte[]> us = mesh.producer(US)) {
            String mirrored = DefaultMirrorHop.mirrored(topic);
            hop.awaitMirrored(mesh, AP, mirrored);
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.mesh().region(AP).bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
            AtomicBoolean running = new AtomicBoolean(true);
            Thread poller = new Thread(() -> {
                try (consumer) {
                    consumer.assign(List.of(new TopicPartition(mirrored, 0)));
                    consumer.seekToBeginning(List.of(new TopicPartition(mirrored, 0)));
                    while (running.get()) {
                        for (var record : consumer.poll(Duration.ofMillis(100))) {
                            long received = System.nanoTime();
                            long published = Payloads.timeOf(record.value());
                            if (published >= 0) {
                                recorder.record(published, received);
                            }
                        }
                    }
                } catch (org.apache.kafka.common.errors.WakeupException e) {
                    // Done.
                }
            }, "bench-mm2-consumer");
            poller.start();
            try {
                return paced(recorder, rate, warmup, measure, (seq, scheduled) -> us.send(new ProducerRecord<>(topic, "k",
                        BenchMesh.event(topic, run + "-" + seq, Payloads.timed(scheduled, seq, LocalLatencyBench.EVENT_BYTES)).value())));
            } finally {
                running.set(false);
                consumer.wakeup();
                poller.join(10_000);
            }
        }
    }

    private static Measured paced(LatencyRecorder recorder, int rate, Duration warmup, Duration measure, Pacer.Send send) throws InterruptedException {
        recorder.startMeasuring(System.nanoTime() + warmup.toNanos());
        Pacer.Outcome outcome = Pacer.run(rate, warmup.plus(measure), send);
        long measuredSent = Math.round(outcome.sent() * measure.toNanos() / (double) warmup.plus(measure).toNanos());
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> recorder.received() >= outcome.sent());
        } catch (ConditionTimeoutException e) {
            // Events still missing are reported as missing, not as a failed benchmark.
        }
        return new Measured(recorder.millis(), measuredSent, recorder.measured());
    }
}
