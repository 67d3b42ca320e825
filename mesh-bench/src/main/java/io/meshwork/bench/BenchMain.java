package io.meshwork.bench;

import io.meshwork.bench.harness.MeshBenchmarks;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.core.topic.TopicIndex;
import io.meshwork.core.topic.TopicPattern;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the micro-benchmarks and prints each figure beside its baseline measured in the same run:
 * {@code java -jar mesh-bench/target/mesh-bench.jar [--quick] [--micro|--load] [--only=local,...]}: the JMH micro-benchmarks,
 * then the load benchmarks on a real embedded mesh ({@link MeshBenchmarks}).
 */
public final class BenchMain {

    private static final int[] SIZES = {10_000, 100_000, 500_000};
    private static final int[] QUICK_SIZES = {500_000};

    private BenchMain() {
    }

    /** The CLI's logging (warnings only; Kafka and HiveMQ narrate at INFO otherwise), from the launcher's jar. */
    private static final String LOGGING_CONFIGURATION = "meshwork-cli-logback.xml";

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGGING_CONFIGURATION);
        }
        List<String> options = List.of(args);
        boolean quick = options.contains("--quick");
        Set<String> sections = sections(options);
        // --only names load sections, so it implies --load.
        String only = options.contains("--micro") ? "micro" : options.contains("--load") || !sections.isEmpty() ? "load" : "all";
        long started = System.nanoTime();
        if (!only.equals("load")) {
            List<Row> rows = new ArrayList<>();
            List<RunResult> matching = new ArrayList<>(run(LinearScanBaseline.class, quick, null));
            // Quick mode measures the trie at the target's size only.
            matching.addAll(run(TopicMatchBenchmark.class, quick, quick ? new String[] {"500000"} : null));
            rows.addAll(topicMatching(matching, quick ? QUICK_SIZES : SIZES));
            rows.addAll(heapPerPattern(quick ? new int[] {500_000} : SIZES));
            rows.addAll(selectors(run(SelectorBenchmark.class, quick, null)));
            print(rows, quick);
        }
        if (!only.equals("micro")) {
            MeshBenchmarks.run(quick, sections);
        }
        System.out.printf(Locale.ROOT, "%nmesh-bench (%s mode) took %.0f s%n", quick ? "quick" : "full", (System.nanoTime() - started) / 1e9);
        // Kafka clients and HiveMQ leave non-daemon threads behind on the way out.
        System.exit(0);
    }

    /** {@code --only=local,router}: the load sections to run (see {@link MeshBenchmarks#SECTIONS}); all when absent. */
    private static Set<String> sections(List<String> options) {
        Set<String> only = options.stream().filter(o -> o.startsWith("--only="))
                .flatMap(o -> Arrays.stream(o.substring("--only=".length()).split(",")))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (String section : only) {
            if (!MeshBenchmarks.SECTIONS.contains(section)) {
                throw new IllegalArgumentException("--only: unknown section '" + section + "'; known: " + MeshBenchmarks.SECTIONS);
            }
        }
        return only;
    }

    /** @param patterns values of the {@code patterns} parameter to run; {@code null}: the benchmark's own */
    private static Collection<RunResult> run(Class<?> benchmark, boolean quick, String[] patterns) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder().include(benchmark.getName() + "\\.").forks(1)
                .jvmArgsAppend("-Xmx4g").shouldDoGC(true);
        if (patterns != null) {
            options.param("patterns", patterns);
        }
        if (quick) {
            // One short iteration each: quick mode checks the harness and gives rough figures, within the README's 3 minutes.
            options.warmupIterations(1).warmupTime(TimeValue.milliseconds(500)).measurementIterations(1).measurementTime(TimeValue.seconds(1));
        } else {
            options.warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5).measurementTime(TimeValue.seconds(2));
        }
        return new Runner(options.build()).run();
    }

    private static RunResult find(Collection<RunResult> results, String method, String patterns, String topics) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .filter(r -> patterns == null || patterns.equals(r.getParams().getParam("patterns")))
                .filter(r -> topics == null || topics.equals(r.getParams().getParam("topics")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no result for " + method + " " + patterns + " " + topics));
    }

    private static double percentile(RunResult result, double p) {
        return result.getPrimaryResult().getStatistics().getPercentile(p);
    }

    private static List<Row> topicMatching(Collection<RunResult> results, int[] sizes) {
        List<Row> rows = new ArrayList<>();
        for (String topics : List.of("matching", "nonMatching")) {
            RunResult baseline = find(results, "linearScan", null, topics);
            double baseP50 = percentile(baseline, 50);
            double baseP99 = percentile(baseline, 99);
            for (int size : sizes) {
                RunResult trie = find(results, "trie", Integer.toString(size), topics);
                double p50 = percentile(trie, 50);
                double p99 = percentile(trie, 99);
                rows.add(new Row("match p50, " + size / 1000 + "k patterns, " + topics, ns(p50), ns(baseP50) + " (linear, 10k)",
                        ratioOf(p50, baseP50), "-", "-"));
                rows.add(new Row("match p99, " + size / 1000 + "k patterns, " + topics, ns(p99), ns(baseP99) + " (linear, 10k)",
                        ratioOf(p99, baseP99), size == 500_000 ? "<= 2 us" : "-", size == 500_000 ? met(p99 <= 2_000) : "-"));
            }
        }
        return rows;
    }

    private static List<Row> heapPerPattern(int[] sizes) {
        List<Row> rows = new ArrayList<>();
        for (int size : sizes) {
            double perPattern = trieBytesPerPattern(size);
            rows.add(new Row("trie heap per pattern, " + size / 1000 + "k", String.format(Locale.ROOT, "%.0f B", perPattern),
                    "-", "-", size == 500_000 ? "<= 128 B" : "-", size == 500_000 ? met(perPattern <= 128) : "-"));
        }
        return rows;
    }

    /**
     * Used heap after GC with the trie built, minus before, per pattern. One size per call, so the
     * previous size's trie is unreachable by then.
     */
    private static double trieBytesPerPattern(int size) {
        List<TopicPattern> patterns = SubscriptionShapes.patterns(size);
        long before = usedHeapAfterGc();
        TopicIndex<Integer> index = new TopicIndex<>();
        for (int i = 0; i < patterns.size(); i++) {
            index.add(patterns.get(i), i);
        }
        long after = usedHeapAfterGc();
        // Without the fences the JIT may treat the pattern list as dead after the loop, let the GC
        // free it before the second reading and subtract its size from the trie's.
        Reference.reachabilityFence(patterns);
        Reference.reachabilityFence(index);
        if (index.patternCount() != size) {
            throw new IllegalStateException("index lost patterns");
        }
        return (after - before) / (double) size;
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<Row> selectors(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (String kind : List.of("headers", "payload")) {
            RunResult selector = results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".selector")
                    && kind.equals(r.getParams().getParam("kind"))).findFirst().orElseThrow();
            RunResult baseline = results.stream().filter(r -> r.getParams().getBenchmark().endsWith(".handWritten")
                    && kind.equals(r.getParams().getParam("kind"))).findFirst().orElseThrow();
            double value = selector.getPrimaryResult().getScore();
            double base = baseline.getPrimaryResult().getScore();
            rows.add(new Row("selector evaluation, " + kind + (kind.equals("payload") ? " (incl. JSON parse)" : ""),
                    ns(value), ns(base) + " (hand-written Java)", ratioOf(value, base), "-", "-"));
        }
        return rows;
    }

    private static String ns(double nanos) {
        return nanos >= 10_000 ? String.format(Locale.ROOT, "%.1f us", nanos / 1000) : String.format(Locale.ROOT, "%.0f ns", nanos);
    }

    private static String ratioOf(double value, double baseline) {
        double ratio = value / baseline;
        return ratio < 0.1 ? String.format(Locale.ROOT, "%.2gx (%.0fx faster)", ratio, 1 / ratio)
                : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String met(boolean met) {
        return ResultTable.met(met);
    }

    private static void print(List<Row> rows, boolean quick) {
        ResultTable.print("Meshwork micro-benchmarks (" + (quick ? "quick" : "full") + " mode, " + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("java.version") + ")", rows);
    }
}
