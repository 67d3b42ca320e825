package io.meshwork.bench;

import io.meshwork.core.selector.Selector;
import io.meshwork.core.selector.SelectorContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Selector evaluation, parsed once: header-only and JSON-payload selectors, beside the same
 * condition hand-written in Java (the baseline: what evaluation costs without a selector engine).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SelectorBenchmark {

    @Param({"headers", "payload"})
    public String kind;

    private Selector selector;
    private Map<String, String> headers;
    private byte[] payload;

    @Setup
    public void parse() {
        headers = Map.of("type", "orders.created", "region", "eu", "amountCents", "14900", "currency", "USD");
        payload = "{\"orderId\":\"o-1\",\"amountCents\":14900,\"currency\":\"USD\"}".getBytes(StandardCharsets.UTF_8);
        selector = Selector.parse(kind.equals("headers")
                ? "headers.region IN ('ap', 'eu') AND headers.amountCents > 10000"
                : "amountCents > 10000 AND currency = 'USD'");
    }

    @Benchmark
    public boolean selector() {
        return selector.matches(SelectorContext.of(headers, payload, "application/json"));
    }

    /** Baseline: the header condition in plain Java (no parsing, no payload). */
    @Benchmark
    public boolean handWritten() {
        String region = headers.get("region");
        return (region.equals("ap") || region.equals("eu")) && Long.parseLong(headers.get("amountCents")) > 10000;
    }
}
