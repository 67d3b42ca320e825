package io.meshwork.bench;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The baseline for {@link TopicMatchBenchmark}: what a naive router would do, test every pattern
 * against the topic. Measured at 10k patterns only; larger sizes only get slower.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LinearScanBaseline {

    static final int PATTERNS = 10_000;

    @Param({"matching", "nonMatching"})
    public String topics;

    private List<TopicPattern> all;
    private List<TopicName> probes;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        all = SubscriptionShapes.patterns(PATTERNS);
        probes = topics.equals("matching") ? SubscriptionShapes.matchingTopics(all, 4096) : SubscriptionShapes.nonMatchingTopics(4096);
    }

    @Benchmark
    public void linearScan(Blackhole hole) {
        next = (next + 1) & 4095;
        TopicName topic = probes.get(next);
        for (TopicPattern pattern : all) {
            if (pattern.matches(topic)) {
                hole.consume(pattern);
            }
        }
    }
}
