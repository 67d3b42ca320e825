package io.meshwork.bench.latency;

import static io.meshwork.bench.harness.BenchMesh.US;

import com.hivemq.configuration.service.InternalConfigurations;
import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 14, item 5: what HiveMQ CE's in-flight window means for one QoS 1 MQTT subscriber at
 * 5k/s. The MQTT → MQTT path of the local section ({@link MqttToMqtt}: 32 publishing clients,
 * one Paho 3.1.1 subscriber at QoS 1) runs once with HiveMQ CE's own window (50, the default of
 * {@code edge.mqtt.inflight.window}) and once with {@value #RAISED_WINDOW}, in the same mesh, one
 * after the other. The window is a static field HiveMQ reads on every send, so it is switched
 * between the runs and restored after.
 */
public final class MqttWindowBench {

    /** HiveMQ CE's built-in window. */
    static final int HIVEMQ_DEFAULT_WINDOW = 50;
    /** The raised window measured beside it. */
    static final int RAISED_WINDOW = 1_000;

    private MqttWindowBench() {
    }

    public static List<Row> run(BenchMesh mesh, int rate, Duration warmup, Duration measure) throws Exception {
        int configured = InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES;
        List<Row> rows = new ArrayList<>();
        try {
            for (int window : new int[] {HIVEMQ_DEFAULT_WINDOW, RAISED_WINDOW}) {
                InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = window;
                LocalLatencyBench.Result r = LocalLatencyBench.measure(new MqttToMqtt(mesh.mesh().region(US)), rate, warmup, measure);
                String label = String.format(Locale.ROOT, "%s, window %d @ %d/s (achieved %.0f/s, %d/%d delivered%s)", r.path(), window,
                        r.rate(), r.achievedPerSecond(), r.delivered(), r.sent(), r.failed() > 0 ? ", " + r.failed() + " failed" : "");
                String verdict = r.delivered() >= r.sent() * 0.99 ? "met" : "MISSED";
                rows.add(new Row("delivered per second, " + label,
                        String.format(Locale.ROOT, "%.0f/s", r.delivered() / (double) measure.toSeconds()), "-", "-",
                        ">= 99% delivered", verdict));
                rows.add(new Row("p50 " + label, ResultTable.ms(r.millis().p50()), "-", "-", "-", "-"));
                rows.add(new Row("p99 " + label, ResultTable.ms(r.millis().p99()), "-", "-", "-", "-"));
            }
        } finally {
            InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = configured;
        }
        return rows;
    }
}
