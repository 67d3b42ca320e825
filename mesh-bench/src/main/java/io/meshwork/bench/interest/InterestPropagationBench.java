package io.meshwork.bench.interest;

import static io.meshwork.bench.harness.BenchMesh.AP;
import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.Percentiles;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.WsSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Item 7: a WebSocket client subscribes in ap-southeast-1 while us-east-1 publishes a matching
 * event every {@value #PUBLISH_INTERVAL_MS} ms. Until us-east-1's router knows the interest it
 * drops them; the first event that reaches Asia tells when it started forwarding: its publish
 * time minus the subscribe time is the propagation time (to within one publish interval).
 * One subscription at a time, each on a pattern of its own.
 */
public final class InterestPropagationBench {

    private static final long PUBLISH_INTERVAL_MS = 2;
    private static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(15);
    private static final double TARGET_P99_MS = 500;
    private static final int WARMUP_TRIALS = 2;

    private InterestPropagationBench() {
    }

    /** A trial's outcome, in milliseconds from the subscribe request. */
    record Trial(double forwardingStartedMs, double firstDeliveryMs) {
    }

    public static List<Row> run(BenchMesh mesh, int subscriptions) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicReference<CompletableFuture<long[]>> firstArrival = new AtomicReference<>(new CompletableFuture<>());
        AtomicReference<String> wantedTopic = new AtomicReference<>("");
        List<Trial> trials = new ArrayList<>();
        int timedOut = 0;
        try (KafkaProducer<String, byte[]> us = mesh.producer(US);
             WsSubscriber asia = WsSubscriber.connect(mesh.mesh().region(AP).streamUrl(), (topic, published, received) -> {
                 if (topic != null && topic.equals(wantedTopic.get())) {
                     firstArrival.get().complete(new long[] {published, received});
                 }
             })) {
            // The first subscriptions pay for class loading and the first connections: warm-up, left out.
            for (int i = -WARMUP_TRIALS; i < subscriptions; i++) {
                String prefix = "bench/interest/" + run + "/" + (i < 0 ? "warmup" + (-i) : i);
                String topic = prefix + "/event";
                CompletableFuture<long[]> arrival = new CompletableFuture<>();
                firstArrival.set(arrival);
                wantedTopic.set(topic);
                long subscribed = System.nanoTime();
                asia.subscribeAsync(prefix + "/#");
                long seq = 0;
                long deadline = subscribed + TRIAL_TIMEOUT.toNanos();
                while (!arrival.isDone() && System.nanoTime() < deadline) {
                    long now = System.nanoTime();
                    us.send(BenchMesh.event(topic, run + "-" + i + "-" + seq, Payloads.timed(now, seq, 200)));
                    seq++;
                    // Pacing the publisher: one event per interval.
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PUBLISH_INTERVAL_MS));
                }
                if (i < 0) {
                    continue;
                }
                if (!arrival.isDone()) {
                    timedOut++;
                    continue;
                }
                long[] times = arrival.get();
                trials.add(new Trial((times[0] - subscribed) / 1e6, (times[1] - subscribed) / 1e6));
            }
        }
        return rows(trials, subscriptions, timedOut);
    }

    static List<Row> rows(List<Trial> trials, int subscriptions, int timedOut) {
        long[] forwarding = trials.stream().mapToLong(t -> Math.round(t.forwardingStartedMs() * 1000)).toArray();
        long[] delivered = trials.stream().mapToLong(t -> Math.round(t.firstDeliveryMs() * 1000)).toArray();
        Percentiles fwd = Percentiles.of(forwarding, forwarding.length).scaled(1000);
        Percentiles first = Percentiles.of(delivered, delivered.length).scaled(1000);
        String n = " (" + trials.size() + "/" + subscriptions + " subscriptions" + (timedOut > 0 ? ", " + timedOut + " timed out" : "") + ")";
        String baseline = "90 ms (one-way us-ap emulated delay)";
        return List.of(
                new Row("interest propagation p50, ap-southeast-1 subscribe -> us-east-1 forwards" + n, ResultTable.ms(fwd.p50()),
                        baseline, ResultTable.ratio(fwd.p50(), 90), "-", "-"),
                new Row("interest propagation p99, ap-southeast-1 subscribe -> us-east-1 forwards" + n, ResultTable.ms(fwd.p99()),
                        baseline, ResultTable.ratio(fwd.p99(), 90), "<= 500 ms",
                        timedOut > 0 ? "MISSED" : ResultTable.met(fwd.p99() <= TARGET_P99_MS)),
                new Row("subscribe -> first event delivered in ap-southeast-1, p50" + n, ResultTable.ms(first.p50()), "-", "-", "-", "-"),
                new Row("subscribe -> first event delivered in ap-southeast-1, p99" + n, ResultTable.ms(first.p99()), "-", "-", "-", "-"));
    }
}
