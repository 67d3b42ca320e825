package io.meshwork.bench;

import io.meshwork.core.topic.TopicIndex;
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
 * Topic matching against the router's trie ({@link TopicIndex}) with 10k–500k unique patterns.
 * The baseline, a linear scan of every pattern, is {@link LinearScanBaseline}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopicMatchBenchmark {

    @Param({"10000", "100000", "500000"})
    public int patterns;

    @Param({"matching", "nonMatching"})
    public String topics;

    private TopicIndex<Integer> index;
    private List<TopicPattern> all;
    private List<TopicName> probes;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        all = SubscriptionShapes.patterns(patterns);
        index = new TopicIndex<>();
        for (int i = 0; i < all.size(); i++) {
            index.add(all.get(i), i);
        }
        probes = topics.equals("matching") ? SubscriptionShapes.matchingTopics(all, 4096) : SubscriptionShapes.nonMatchingTopics(4096);
    }

    private TopicName nextTopic() {
        next = (next + 1) & 4095;
        return probes.get(next);
    }

    @Benchmark
    public void trie(Blackhole hole) {
        index.forEachMatch(nextTopic(), hole::consume);
    }
}
