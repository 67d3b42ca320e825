package io.meshwork.bench.harness;

import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.edge.EdgeConnectionsBench;
import io.meshwork.bench.edge.EdgeFanOutBench;
import io.meshwork.bench.failover.FailoverBench;
import io.meshwork.bench.interest.InterestPropagationBench;
import io.meshwork.bench.cpu.CpuPerEventBench;
import io.meshwork.bench.cpu.IdleCpuBench;
import io.meshwork.bench.latency.SustainedLoadBench;
import io.meshwork.bench.latency.CrossRegionLatencyBench;
import io.meshwork.bench.latency.LocalLatencyBench;
import io.meshwork.bench.latency.TlsCostBench;
import io.meshwork.bench.latency.MqttWindowBench;
import io.meshwork.bench.latency.SlowSubscriberBench;
import io.meshwork.bench.router.RouterThroughputBench;
import io.meshwork.bench.wan.WanEfficiencyBench;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The load benchmarks (issue #7 items 3-8) on one real embedded mesh started in this JVM. Each
 * prints its table as soon as it is done, so a long run shows progress and a failure in one
 * benchmark still leaves the others' figures.
 */
public final class MeshBenchmarks {

    /** A benchmark over the running mesh. */
    @FunctionalInterface
    interface Bench {
        List<Row> run(BenchMesh mesh) throws Exception;
    }

    private MeshBenchmarks() {
    }

    /** The section names {@code --only=} accepts, in the order they run. */
    public static final List<String> SECTIONS = List.of("idle", "local", "tls", "mqttwindow", "slow", "cpu", "sustained", "interest", "wan", "cross", "edge", "edges", "failover", "router");

    /**
     * Runs the load benchmarks named in {@code only} (all of {@link #SECTIONS} when empty), in
     * their fixed order.
     */
    public static void run(boolean quick, Set<String> only) throws Exception {
        String mode = quick ? "quick" : "full";
        Predicate<String> wanted = name -> only.isEmpty() || only.contains(name);
        long started = System.nanoTime();
        try (BenchMesh mesh = BenchMesh.start()) {
            System.out.printf(Locale.ROOT, "%nembedded three-region mesh started in %.1f s%n", mesh.startup().toMillis() / 1000.0);
            double[] idleCores = {Double.NaN};
            section(wanted, "idle", "Idle mesh CPU (" + mode + " mode)", mesh, m -> {
                List<Row> idle = IdleCpuBench.run(m, Duration.ofSeconds(quick ? 5 : 20), Duration.ofSeconds(quick ? 5 : 20));
                idleCores[0] = IdleCpuBench.cores(idle);
                return idle;
            });
            section(wanted, "local", "Local publish -> deliver latency, us-east-1, 500-byte events (" + mode + " mode)", mesh,
                    m -> LocalLatencyBench.run(m, localRates(quick),
                            Duration.ofSeconds(quick ? 2 : 5), Duration.ofSeconds(quick ? 2 : 15)));
            section(wanted, "tls", "TLS's cost on local latency: REST -> WebSocket against https -> wss, us-east-1 (" + mode + " mode)",
                    mesh, m -> TlsCostBench.run(m, quick ? new int[] {1_000} : new int[] {200, 1_000, 5_000},
                            Duration.ofSeconds(quick ? 2 : 5), Duration.ofSeconds(quick ? 2 : 15)));
            section(wanted, "mqttwindow", "One QoS 1 MQTT subscriber at 5k/s, HiveMQ CE's in-flight window (50) against 1,000 ("
                    + mode + " mode)", mesh, m -> MqttWindowBench.run(m, 5_000, Duration.ofSeconds(quick ? 2 : 5),
                    Duration.ofSeconds(quick ? 5 : 15)));
            int slowRate = Integer.getInteger("bench.slow.rate", 5_000);
            section(wanted, "slow", "One WebSocket subscriber reading at 10% of " + slowRate + "/s beside a fast one, against the fast one alone ("
                    + mode + " mode)", mesh, m -> SlowSubscriberBench.run(m, slowRate, Duration.ofSeconds(quick ? 2 : 5),
                    Duration.ofSeconds(quick ? 5 : 30)));
            section(wanted, "cpu", "CPU per published event, one local and one remote subscriber (" + mode + " mode)", mesh,
                    m -> CpuPerEventBench.run(m, 1_000, Duration.ofSeconds(quick ? 3 : 5), Duration.ofSeconds(quick ? 5 : 20),
                            Double.isNaN(idleCores[0]) ? 0 : idleCores[0]));
            section(wanted, "sustained", "Sustained REST -> WebSocket load and saturation point, us-east-1 (" + mode + " mode)", mesh,
                    m -> SustainedLoadBench.run(m, quick ? new int[] {2_000, 5_000} : new int[] {2_000, 5_000, 10_000},
                            Duration.ofSeconds(quick ? 2 : 5), Duration.ofSeconds(quick ? 10 : 60)));
            section(wanted, "interest", "Interest propagation (" + mode + " mode)", mesh,
                    m -> InterestPropagationBench.run(m, quick ? 6 : 100));
            section(wanted, "wan", "WAN efficiency, 20% remote interest, beside MirrorMaker 2 broadcast (" + mode + " mode)", mesh,
                    m -> WanEfficiencyBench.run(m, quick ? 2_000 : 20_000));
            section(wanted, "cross", "Cross-region latency beside a default MirrorMaker 2 hop (" + mode + " mode)", mesh,
                    m -> CrossRegionLatencyBench.run(m, quick ? new int[] {100} : new int[] {100, 1_000},
                            Duration.ofSeconds(quick ? 1 : 2), Duration.ofSeconds(quick ? 2 : 20)));
            section(wanted, "edge", "Edge connections (" + mode + " mode" + (quick ? ": 500 connections, not 10k/50k" : "") + ")", mesh,
                    m -> EdgeConnectionsBench.run(m, quick ? new int[] {500} : new int[] {10_000, 50_000}, quick));
            section(wanted, "edges", "Edge CPU with 1 against 4 edges per region, in-region fan-out (" + mode + " mode)", mesh,
                    m -> EdgeFanOutBench.run(m, 2_000, Duration.ofSeconds(quick ? 5 : 10), Duration.ofSeconds(quick ? 30 : 120)));
            section(wanted, "failover", "Edge failover: kill -9 the serving ap-southeast-1 edge, WebSocket subscriber with "
                    + "FailoverSubscriber (" + mode + " mode" + (quick ? ": 3 kills, not 20" : "") + ")", mesh,
                    m -> FailoverBench.run(m, quick ? 3 : 20));
            // Last: it stops and restarts us-east-1's router.
            section(wanted, "router", "Router throughput beside a plain consume -> produce loop (" + mode + " mode)", mesh,
                    m -> RouterThroughputBench.run(m, quick ? 20_000 : 100_000));
        }
        System.out.printf(Locale.ROOT, "%nload benchmarks took %.0f s%n", Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
    }

    /** Rates of the local latency section; {@code -Dbench.local.rates=1000,5000} overrides the mode's. */
    private static int[] localRates(boolean quick) {
        String rates = System.getProperty("bench.local.rates");
        if (rates == null || rates.isBlank()) {
            return quick ? new int[] {1_000} : new int[] {1_000, 5_000};
        }
        return java.util.Arrays.stream(rates.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static void section(Predicate<String> wanted, String name, String title, BenchMesh mesh, Bench bench) {
        if (!wanted.test(name)) {
            return;
        }
        long started = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        try {
            rows.addAll(bench.run(mesh));
        } catch (Exception | AssertionError e) {
            rows.add(new Row(title + ": FAILED", e.toString().replace('|', '/'), "-", "-", "-", "MISSED"));
        }
        ResultTable.print(String.format(Locale.ROOT, "%s, %d cores, %s, %.0f s", title, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0), rows);
    }
}
