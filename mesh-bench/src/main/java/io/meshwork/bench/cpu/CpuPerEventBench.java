package io.meshwork.bench.cpu;

import static org.awaitility.Awaitility.await;

import static io.meshwork.bench.harness.BenchMesh.AP;
import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.CpuMeter;
import io.meshwork.bench.harness.Pacer;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.WsSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * CPU per published event, whole mesh: Kafka-native publishes in us-east-1, one WebSocket
 * subscriber there and one in ap-southeast-1, so every event is delivered locally and crosses
 * the WAN once. The mesh's CPU (every thread of the JVM but the load clients', plus the embedded
 * PostgreSQL) over the run, divided by the events published; also less what the idle mesh
 * spends in the same time, which is the cost the events themselves add.
 */
public final class CpuPerEventBench {

    private static final int EVENT_BYTES = 500;

    private CpuPerEventBench() {
    }

    public static List<Row> run(BenchMesh mesh, int rate, Duration warmup, Duration measure, double idleCores) throws Exception {
        String topic = "bench/cpu/" + UUID.randomUUID().toString().substring(0, 8);
        AtomicLong local = new AtomicLong();
        AtomicLong remote = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = mesh.producer(US);
             WsSubscriber us = WsSubscriber.connect(mesh.mesh().region(US).streamUrl(), (t, p, r) -> local.incrementAndGet());
             WsSubscriber ap = WsSubscriber.connect(mesh.mesh().region(AP).streamUrl(), (t, p, r) -> remote.incrementAndGet())) {
            us.subscribe(topic + "/#", "SUBSCRIBED", Duration.ofSeconds(30));
            ap.subscribe(topic + "/#", "MESH_ACTIVE", Duration.ofSeconds(30));
            AtomicLong failed = new AtomicLong();
            Pacer.Send send = (sequence, scheduled) -> producer.send(
                    BenchMesh.event(topic + "/e", topic + "-" + sequence, Payloads.timed(scheduled, sequence, EVENT_BYTES)), BenchMesh.countingFailures(failed));
            Pacer.Outcome warm = Pacer.run(rate, warmup, send);
            awaitBoth(local, remote, warm.sent());
            long localBefore = local.get();
            long remoteBefore = remote.get();
            CpuMeter.Reading before = CpuMeter.read();
            Pacer.Outcome outcome = Pacer.run(rate, measure, (sequence, scheduled) -> send.send(warm.sent() + sequence, scheduled));
            awaitBoth(local, remote, warm.sent() + outcome.sent());
            CpuMeter.Reading after = CpuMeter.read();
            long events = outcome.sent();
            double seconds = (after.wallNanos() - before.wallNanos()) / 1e9;
            double total = after.meshNanosSince(before) / 1000.0 / events;
            double added = (after.meshNanosSince(before) - idleCores * seconds * 1e9) / 1000.0 / events;
            String label = String.format(Locale.ROOT, "%d/s Kafka-native publishes in us-east-1, %d events, delivered %d local + %d in ap-southeast-1",
                    rate, events, local.get() - localBefore, remote.get() - remoteBefore);
            List<Row> rows = new ArrayList<>();
            rows.add(new Row("CPU per published event, whole mesh (" + label + ")", String.format(Locale.ROOT, "%.0f us", total),
                    "-", "-", "-", "-"));
            rows.add(new Row("CPU per published event less the idle mesh's " + String.format(Locale.ROOT, "%.3f cores", idleCores),
                    String.format(Locale.ROOT, "%.0f us", added), "-", "-", "-", "-"));
            for (Map.Entry<String, Long> group : after.since(before).entrySet()) {
                if (group.getValue() > 0) {
                    rows.add(new Row("  CPU per event " + group.getKey(),
                            String.format(Locale.ROOT, "%.1f us", group.getValue() / 1000.0 / events), "-", "-", "-", "-"));
                }
            }
            return rows;
        }
    }

    private static void awaitBoth(AtomicLong local, AtomicLong remote, long expected) {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> local.get() >= expected && remote.get() >= expected);
        } catch (ConditionTimeoutException e) {
            // Reported by the counts in the row's label.
        }
    }
}
