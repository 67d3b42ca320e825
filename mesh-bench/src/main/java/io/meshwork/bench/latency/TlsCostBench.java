package io.meshwork.bench.latency;

import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.launcher.RegionEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS's cost on local latency (issue 16: ≤ 10 % at p50): REST → WebSocket on a plaintext
 * us-east-1 edge against https → wss on a second us-east-1 edge serving TLS with a generated
 * certificate, both started alike by the bench and reading the same {@code mesh.events}, each
 * rate run for both in turn.
 * Clients keep their connections (HTTP keep-alive, one WebSocket), as applications do, so the
 * figure is the per-event cost of encryption, not of handshakes. 200/s comes first: at 1k/s the
 * three-region mesh in this JVM already uses most of two cores (some 1.6–1.8 ms of CPU per event),
 * so the p50 there measures how close to saturation each run happened to be as much as TLS.
 */
public final class TlsCostBench {

    private static final double TARGET_P50_RATIO = 1.10;

    private TlsCostBench() {
    }

    public static List<Row> run(BenchMesh mesh, int[] rates, Duration warmup, Duration measure) throws Exception {
        Path certs = Files.createTempDirectory("mesh-bench-tls");
        LocalCertificates certificates = LocalCertificates.ensure(certs);
        RegionEndpoints plain = mesh.mesh().region(US);
        EdgeConfig config = EdgeConfig.defaults(US, KafkaClients.of(plain.bootstrapServers())).withHttp("127.0.0.1", 0);
        List<Row> rows = new ArrayList<>();
        // Two edges started alike, one with TLS: the region's own edge differs in more than TLS (it
        // started first, with the mesh, and its JIT state and delivery load are not the new edge's).
        try (EdgeBridge plainEdge = EdgeBridge.start(config);
             EdgeBridge tlsEdge = EdgeBridge.start(config, certificates.serverSettings(ClientAuth.NONE))) {
            RegionEndpoints plaintext = new RegionEndpoints(US, plain.bootstrapServers(), plainEdge.httpPort(), -1, -1, -1, false);
            RegionEndpoints secure = new RegionEndpoints(US, plain.bootstrapServers(), tlsEdge.httpPort(), -1, -1, -1, true);
            SslContextFactory.Client trust = new SslContextFactory.Client();
            trust.setTrustStorePath(certificates.caTrustStore().toString());
            trust.setTrustStorePassword(certificates.password());
            trust.setTrustStoreType("PKCS12");
            // Both paths once before anything is measured: the first run of a fresh JVM is the
            // JIT's (200/s plaintext measured 6.2 ms first and 1.6 ms once warm).
            LocalLatencyBench.measure(new RestToWebSocket(plaintext), rates[0], warmup, warmup);
            LocalLatencyBench.measure(new RestToWebSocket(secure, trust), rates[0], warmup, warmup);
            for (int rate : rates) {
                LocalLatencyBench.Result open = LocalLatencyBench.measure(new RestToWebSocket(plaintext), rate, warmup, measure);
                LocalLatencyBench.Result tls = LocalLatencyBench.measure(new RestToWebSocket(secure, trust), rate, warmup, measure);
                rows.addAll(rows(open, tls));
                // Where the difference is: TLS on one side only, the other edge serving the other side.
                LocalLatencyBench.Result publishOnly = LocalLatencyBench.measure(new RestToWebSocket(secure, trust, plaintext, null), rate,
                        warmup, measure);
                LocalLatencyBench.Result deliverOnly = LocalLatencyBench.measure(new RestToWebSocket(plaintext, null, secure, trust), rate,
                        warmup, measure);
                rows.add(split("https -> WebSocket", publishOnly, open));
                rows.add(split("REST -> wss", deliverOnly, open));
                // Inside the edges: whatever TLS adds beyond these stages is in the transport (either side).
                rows.addAll(open.stages());
                rows.addAll(tls.stages());
            }
        }
        return rows;
    }

    private static Row split(String path, LocalLatencyBench.Result oneSide, LocalLatencyBench.Result open) {
        return new Row(String.format(Locale.ROOT, "p50 %s (TLS one side) @ %d/s (%d/%d delivered)", path, oneSide.rate(), oneSide.delivered(),
                oneSide.sent()), ResultTable.ms(oneSide.millis().p50()) + ", p99 " + ResultTable.ms(oneSide.millis().p99()),
                "plaintext " + ResultTable.ms(open.millis().p50()), ResultTable.ratio(oneSide.millis().p50(), open.millis().p50()), "-", "-");
    }

    private static List<Row> rows(LocalLatencyBench.Result open, LocalLatencyBench.Result tls) {
        List<Row> rows = new ArrayList<>();
        String label = String.format(Locale.ROOT, "@ %d/s (TLS %d/%d delivered, plaintext %d/%d)", tls.rate(), tls.delivered(),
                tls.sent(), open.delivered(), open.sent());
        boolean met = tls.millis().p50() <= TARGET_P50_RATIO * open.millis().p50() && tls.failed() == 0
                && tls.delivered() >= tls.sent() * 0.99;
        rows.add(new Row("p50 https -> wss " + label, ResultTable.ms(tls.millis().p50()), "plaintext " + ResultTable.ms(open.millis().p50()),
                ResultTable.ratio(tls.millis().p50(), open.millis().p50()), "<= 1.10x plaintext", ResultTable.met(met)));
        rows.add(new Row("p99 https -> wss " + label, ResultTable.ms(tls.millis().p99()), "plaintext " + ResultTable.ms(open.millis().p99()),
                ResultTable.ratio(tls.millis().p99(), open.millis().p99()), "-", "-"));
        rows.add(new Row("CPU per delivered event, https -> wss " + label,
                String.format(Locale.ROOT, "%.0f us", tls.meshCpuMicrosPerEvent()),
                String.format(Locale.ROOT, "plaintext %.0f us", open.meshCpuMicrosPerEvent()),
                ResultTable.ratio(tls.meshCpuMicrosPerEvent(), open.meshCpuMicrosPerEvent()), "-", "-"));
        return rows;
    }
}
