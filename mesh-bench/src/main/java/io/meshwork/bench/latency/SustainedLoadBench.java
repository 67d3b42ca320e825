package io.meshwork.bench.latency;

import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sustained REST → WebSocket load in us-east-1 with the three regions running: each rate for a
 * long run beside raw Kafka at the same rate, every event checked delivered once, and the
 * saturation point, the highest rate of the ladder at which p99 stays within 2× raw Kafka's.
 */
public final class SustainedLoadBench {

    private static final double SATURATION_RATIO = 2.0;

    private SustainedLoadBench() {
    }

    public static List<Row> run(BenchMesh mesh, int[] rates, Duration warmup, Duration measure) throws Exception {
        List<Row> rows = new ArrayList<>();
        int saturation = 0;
        boolean stillWithin = true;
        for (int rate : rates) {
            LocalLatencyBench.Result raw = LocalLatencyBench.measure(new RawKafka(mesh, US), rate, warmup, measure);
            LocalLatencyBench.Result rest = LocalLatencyBench.measure(new RestToWebSocket(mesh.mesh().region(US)), rate, warmup, measure);
            boolean once = rest.delivered() == rest.sent() && rest.failed() == 0;
            boolean within = rest.millis().p99() <= SATURATION_RATIO * raw.millis().p99();
            if (within && once && stillWithin) {
                saturation = rate;
            } else {
                stillWithin = false;
            }
            String label = String.format(Locale.ROOT, "REST -> WebSocket @ %d/s for %d s (achieved %.0f/s, %d/%d delivered%s)",
                    rate, measure.toSeconds(), rest.achievedPerSecond(), rest.delivered(), rest.sent(),
                    rest.failed() > 0 ? ", " + rest.failed() + " failed" : "");
            rows.add(new Row("p50 " + label, ResultTable.ms(rest.millis().p50()), "raw Kafka " + ResultTable.ms(raw.millis().p50()),
                    ResultTable.ratio(rest.millis().p50(), raw.millis().p50()), "-", "-"));
            rows.add(new Row("p99 " + label, ResultTable.ms(rest.millis().p99()), "raw Kafka " + ResultTable.ms(raw.millis().p99()),
                    ResultTable.ratio(rest.millis().p99(), raw.millis().p99()), "every event once", ResultTable.met(once)));
            rows.add(new Row(String.format(Locale.ROOT, "  CPU per delivered event, mesh, REST -> WebSocket @ %d/s", rate),
                    String.format(Locale.ROOT, "%.0f us", rest.meshCpuMicrosPerEvent()),
                    String.format(Locale.ROOT, "raw Kafka %.0f us", raw.meshCpuMicrosPerEvent()), "-", "-", "-"));
            rows.addAll(rest.stages());
        }
        rows.add(new Row("saturation point: highest rate with p99 <= 2x raw Kafka and every event delivered",
                saturation == 0 ? "below " + rates[0] + "/s" : saturation + "/s", "-", "-", "-", "-"));
        return rows;
    }
}
