package io.meshwork.bench.edge;

import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Item 8: idle WebSocket and MQTT subscribers held by one edge in a JVM of its own
 * ({@link EdgeProcess}, on us-east-1's Kafka), its RSS and its heap after a full GC read before
 * and after the connections, divided by the connections reached. One fresh edge JVM per protocol
 * and count, so one measurement's garbage does not feed the next. Counts above what the open-file
 * limit allows (both JVMs hold one descriptor per connection) are capped, and the row says so.
 */
public final class EdgeConnectionsBench {

    private static final double TARGET_BYTES = 20 * 1024;
    /** Descriptors kept free for Kafka's segments, the edge's own sockets and the JDK. */
    private static final long FILE_MARGIN = 2_000;

    private EdgeConnectionsBench() {
    }

    public static List<Row> run(BenchMesh mesh, int[] counts) throws Exception {
        long limit = EdgeJvm.openFileLimit();
        List<Row> rows = new ArrayList<>();
        for (String protocol : List.of("WebSocket", "MQTT")) {
            for (int wanted : counts) {
                int count = (int) Math.min(wanted, Math.max(0, limit - FILE_MARGIN));
                String capped = count < wanted ? String.format(Locale.ROOT, ", capped from %d by the open-file limit %d (raise ulimit -n)",
                        wanted, limit) : "";
                try (EdgeJvm edge = EdgeJvm.start(US, mesh.mesh().region(US).bootstrapServers()); IdleClients clients = new IdleClients()) {
                    long heapBefore = edge.heapAfterGcBytes();
                    long rssBefore = edge.rssBytes();
                    int reached = protocol.equals("MQTT") ? clients.mqtt(edge.mqttPort(), count) : clients.webSockets(edge.httpPort(), count);
                    long heapAfter = edge.heapAfterGcBytes();
                    long rssAfter = edge.rssBytes();
                    double rssPer = reached == 0 ? Double.NaN : (rssAfter - rssBefore) / (double) reached;
                    double heapPer = reached == 0 ? Double.NaN : (heapAfter - heapBefore) / (double) reached;
                    String label = String.format(Locale.ROOT, "idle %s subscribers on one edge JVM: %d of %d reached%s", protocol, reached,
                            count, capped);
                    rows.add(new Row("RSS per connection, " + label, ResultTable.bytes(rssPer),
                            "edge RSS " + ResultTable.bytes(rssBefore) + " -> " + ResultTable.bytes(rssAfter), "-", "<= 20 KB",
                            ResultTable.met(rssPer <= TARGET_BYTES && reached == count)));
                    rows.add(new Row("heap per connection (after full GC), " + label, ResultTable.bytes(heapPer),
                            "edge heap " + ResultTable.bytes(heapBefore) + " -> " + ResultTable.bytes(heapAfter), "-", "<= 20 KB",
                            ResultTable.met(heapPer <= TARGET_BYTES && reached == count)));
                }
            }
        }
        return rows;
    }
}
