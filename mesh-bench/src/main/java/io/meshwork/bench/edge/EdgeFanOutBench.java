package io.meshwork.bench.edge;

import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.CpuMeter;
import io.meshwork.bench.harness.LatencyRecorder;
import io.meshwork.bench.harness.Pacer;
import io.meshwork.bench.harness.Payloads;
import io.meshwork.bench.harness.Percentiles;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.WsSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Issue 13: how edge CPU scales with the number of edges of a region. us-east-1 gets extra edges,
 * each alone in a JVM ({@link EdgeProcess}) so that its CPU is read off its process; one
 * WebSocket subscriber per topic, the topics spread evenly over the edges; a Kafka-native
 * publisher at a fixed total rate over all topics. Three set-ups at the same load:
 * <ol>
 *   <li>1 edge, direct delivery: the baseline (it reads all of {@code mesh.events});</li>
 *   <li>1 edge, routed delivery: what reading through the router costs one edge;</li>
 *   <li>4 edges, routed delivery: each reads only its slot, so a quarter of the events.</li>
 * </ol>
 * Reports each set-up's edge CPU (per edge and in total, and per edge while idle: the floor each
 * edge JVM pays), the router's CPU (it does the fan-out, so it is part of the bill), and publish →
 * deliver latency, with every event checked delivered once (waiting out a backlog while it drains). The mesh's own edges stay up and
 * idle: nobody subscribes there.
 */
public final class EdgeFanOutBench {

    private static final int TOPICS = 16;
    private static final int PAYLOAD_BYTES = 500;
    private static final Duration CONFIRM = Duration.ofSeconds(60);
    private static final String ROUTER_GROUP = "router (Kafka Streams)";
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration STALL = Duration.ofSeconds(10);
    /**
     * Each set-up starts fresh edge JVMs: under traffic they spend their first 20-40 s compiling
     * (JFR: 27-38 compilations over 100 ms each per edge JVM), which a short warm-up leaves inside
     * the measured window, as a cost per edge that has nothing to do with its share of the events.
     */
    private static final Duration MIN_WARMUP = Duration.ofSeconds(30);

    private record Setup(String name, int edges, boolean routed) {
    }

    private EdgeFanOutBench() {
    }

    public static List<Row> run(BenchMesh mesh, int rate, Duration warmup, Duration measure) throws Exception {
        List<Row> rows = new ArrayList<>();
        double baselineTotal = Double.NaN;
        for (Setup setup : List.of(new Setup("1 edge, direct", 1, false), new Setup("1 edge, routed", 1, true),
                new Setup("4 edges, routed", 4, true))) {
            try {
                double total = measure(mesh, setup, rate, warmup.compareTo(MIN_WARMUP) < 0 ? MIN_WARMUP : warmup, measure,
                        baselineTotal, rows);
                if (Double.isNaN(baselineTotal)) {
                    baselineTotal = total;
                }
            } catch (Exception e) {
                rows.add(new Row(setup.name() + ": FAILED", e.toString().replace('|', '/'), "-", "-", "-", "MISSED"));
            }
        }
        return rows;
    }

    /** Runs one set-up; adds its rows; returns the edges' total CPU in cores. */
    private static double measure(BenchMesh mesh, Setup setup, int rate, Duration warmup, Duration measure, double baselineTotal,
                                  List<Row> rows) throws Exception {
        String bootstrap = mesh.mesh().region(US).bootstrapServers();
        String prefix = "bench/edges/" + setup.edges() + (setup.routed() ? "routed" : "direct") + "/t";
        List<EdgeJvm> edges = new ArrayList<>();
        WebSocketClient client = new WebSocketClient();
        List<WsSubscriber> subscribers = new ArrayList<>();
        LatencyRecorder recorder = new LatencyRecorder((int) Math.min(Integer.MAX_VALUE - 8,
                (long) rate * (measure.toSeconds() + 5)));
        try {
            client.start();
            for (int i = 0; i < setup.edges(); i++) {
                // Slots 1.. of their own; slot 0 is left to edges whose slot is hashed from their id.
                edges.add(EdgeJvm.start(US, bootstrap, List.of(setup.routed() ? "routed:" + (i + 1) : "direct")));
            }
            for (int topic = 0; topic < TOPICS; topic++) {
                EdgeJvm edge = edges.get(topic % edges.size());
                WsSubscriber subscriber = WsSubscriber.connect(client, "ws://127.0.0.1:" + edge.httpPort() + "/v1/stream",
                        (t, published, received) -> {
                            if (published >= 0) {
                                recorder.record(published, received);
                            }
                        });
                subscribers.add(subscriber);
                subscriber.subscribe(prefix + topic, "SUBSCRIBED", CONFIRM);
            }
            // What the edges cost doing nothing (JVM, Kafka clients, leases, heartbeats): the floor
            // every edge pays whatever its share of the traffic.
            long[] idleBefore = edges.stream().mapToLong(EdgeJvm::cpuNanos).toArray();
            long idleFrom = System.nanoTime();
            java.util.concurrent.locks.LockSupport.parkNanos(IDLE.toNanos());
            double idle = 0;
            for (int i = 0; i < edges.size(); i++) {
                idle += (double) (edges.get(i).cpuNanos() - idleBefore[i]) / (System.nanoTime() - idleFrom);
            }
            idle /= edges.size();
            AtomicLong failures = new AtomicLong();
            try (KafkaProducer<String, byte[]> producer = mesh.producer(US)) {
                Pacer.Send send = (sequence, scheduled) -> {
                    String topic = prefix + (sequence % TOPICS);
                    producer.send(BenchMesh.event(topic, "edges-" + sequence, Payloads.timed(scheduled, sequence, PAYLOAD_BYTES)),
                            BenchMesh.countingFailures(failures));
                };
                Pacer.run(rate, warmup, send);
                long[] edgeCpuBefore = edges.stream().mapToLong(EdgeJvm::cpuNanos).toArray();
                CpuMeter.Reading before = CpuMeter.read();
                long measuredFrom = System.nanoTime();
                recorder.startMeasuring(measuredFrom);
                Pacer.Outcome outcome = Pacer.run(rate, measure, send);
                CpuMeter.Reading after = CpuMeter.read();
                long wall = after.wallNanos() - before.wallNanos();
                long[] edgeCpu = new long[edges.size()];
                for (int i = 0; i < edges.size(); i++) {
                    edgeCpu[i] = edges.get(i).cpuNanos() - edgeCpuBefore[i];
                }
                long routerCpu = after.since(before).getOrDefault(ROUTER_GROUP, 0L);
                long expected = outcome.sent() - outcome.failed() - failures.get();
                awaitDelivered(recorder, expected);
                return report(setup, rate, measure, outcome, expected, recorder, edgeCpu, routerCpu, wall, idle, baselineTotal, rows);
            }
        } finally {
            for (WsSubscriber subscriber : subscribers) {
                subscriber.close();
            }
            client.stop();
            for (EdgeJvm edge : edges) {
                edge.close();
            }
        }
    }

    /** Waits until every event came, or none came for {@link #STALL}: a lagging mesh is not a lossy one. */
    private static void awaitDelivered(LatencyRecorder recorder, long expected) {
        long lastCount = -1;
        long lastProgress = System.nanoTime();
        while (recorder.measured() < expected && System.nanoTime() - lastProgress < STALL.toNanos()) {
            if (recorder.measured() != lastCount) {
                lastCount = recorder.measured();
                lastProgress = System.nanoTime();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    private static double report(Setup setup, int rate, Duration measure, Pacer.Outcome outcome, long expected,
                                 LatencyRecorder recorder, long[] edgeCpu, long routerCpu, long wall, double idlePerEdge,
                                 double baselineTotal, List<Row> rows) {
        double total = 0;
        double max = 0;
        for (long cpu : edgeCpu) {
            double cores = (double) cpu / wall;
            total += cores;
            max = Math.max(max, cores);
        }
        String label = String.format(Locale.ROOT, "%s @ %d/s for %d s (achieved %.0f/s)", setup.name(), rate, measure.toSeconds(),
                outcome.ratePerSecond());
        String baseline = Double.isNaN(baselineTotal) ? "-" : cores(baselineTotal) + " (1 edge, direct)";
        rows.add(new Row("edge CPU per edge, mean (max), " + label,
                cores(total / edgeCpu.length) + " (" + cores(max) + ")", baseline,
                Double.isNaN(baselineTotal) ? "-" : ResultTable.ratio(total / edgeCpu.length, baselineTotal), "-", "-"));
        rows.add(new Row("  edge CPU, all edges", cores(total), baseline,
                Double.isNaN(baselineTotal) ? "-" : ResultTable.ratio(total, baselineTotal), "-", "-"));
        rows.add(new Row("  edge CPU per edge while idle, before the load", cores(idlePerEdge), "-", "-", "-", "-"));
        rows.add(new Row("  router CPU (does the fan-out when routed)", cores((double) routerCpu / wall), "-", "-", "-", "-"));
        Percentiles millis = recorder.millis();
        boolean once = recorder.measured() == expected;
        rows.add(new Row(String.format(Locale.ROOT, "  publish -> deliver p50, %d/%d delivered", recorder.measured(), expected),
                ResultTable.ms(millis.p50()), "-", "-", "-", "-"));
        rows.add(new Row("  publish -> deliver p99", ResultTable.ms(millis.p99()), "-", "-", "every event once",
                ResultTable.met(once)));
        return total;
    }

    private static String cores(double cores) {
        return String.format(Locale.ROOT, "%.3f cores", cores);
    }
}
