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
 * Quick mode measures both protocols in one edge JVM.
 */
public final class EdgeConnectionsBench {

    private static final double TARGET_BYTES = 20 * 1024;
    /** Descriptors kept free beyond those already open: new segments, the edge's own sockets, jcmd. */
    private static final long FILE_MARGIN = 1_500;

    private EdgeConnectionsBench() {
    }

    /**
     * @param oneJvm measure both protocols in one edge JVM, WebSocket first (quick mode: saves an
     *               edge start; the MQTT RSS figure then includes heap the WebSocket run grew)
     */
    public static List<Row> run(BenchMesh mesh, int[] counts, boolean oneJvm) throws Exception {
        long limit = EdgeJvm.openFileLimit();
        List<Row> rows = new ArrayList<>();
        String bootstrap = mesh.mesh().region(US).bootstrapServers();
        for (int wanted : counts) {
            // This JVM holds the client end of every connection besides the embedded mesh's own
            // descriptors (thousands: three clusters' segments and sockets); the edge JVM holds
            // the server ends.
            long available = limit - EdgeJvm.openDescriptors() - FILE_MARGIN;
            int count = (int) Math.min(wanted, Math.max(0, available));
            String capped = count < wanted ? String.format(Locale.ROOT, ", capped from %d by the open-file limit %d (raise ulimit -n)",
                    wanted, limit) : "";
            if (oneJvm) {
                try (EdgeJvm edge = EdgeJvm.start(US, bootstrap); IdleClients ws = new IdleClients(); IdleClients mqtt = new IdleClients()) {
                    rows.addAll(measure(edge, ws, "WebSocket", count, capped));
                    rows.addAll(measure(edge, mqtt, "MQTT", count, capped));
                }
            } else {
                for (String protocol : List.of("WebSocket", "MQTT")) {
                    // One count failing (descriptors, memory) must not take the other rows with it.
                    try (EdgeJvm edge = EdgeJvm.start(US, bootstrap); IdleClients clients = new IdleClients()) {
                        rows.addAll(measure(edge, clients, protocol, count, capped));
                    } catch (Exception e) {
                        rows.add(new Row(String.format(Locale.ROOT, "idle %s subscribers, %d connections: FAILED", protocol, count),
                                e.toString().replace('|', '/'), "-", "-", "<= 20 KB", "MISSED"));
                    }
                }
            }
        }
        return rows;
    }

    private static List<Row> measure(EdgeJvm edge, IdleClients clients, String protocol, int count, String capped) throws Exception {
        long heapBefore = edge.heapAfterGcBytes();
        long rssBefore = edge.rssBytes();
        int reached = protocol.equals("MQTT") ? clients.mqtt(edge.mqttPort(), count) : clients.webSockets(edge.httpPort(), count);
        long heapAfter = edge.heapAfterGcBytes();
        long rssAfter = edge.rssBytes();
        double rssPer = reached == 0 ? Double.NaN : (rssAfter - rssBefore) / (double) reached;
        double heapPer = reached == 0 ? Double.NaN : (heapAfter - heapBefore) / (double) reached;
        String label = String.format(Locale.ROOT, "idle %s subscribers on one edge JVM: %d of %d reached%s", protocol, reached,
                count, capped);
        return List.of(
                new Row("RSS per connection, " + label, ResultTable.bytes(rssPer),
                        "edge RSS " + ResultTable.bytes(rssBefore) + " -> " + ResultTable.bytes(rssAfter), "-", "<= 20 KB",
                        ResultTable.met(rssPer <= TARGET_BYTES && reached == count)),
                new Row("heap per connection (after full GC), " + label, ResultTable.bytes(heapPer),
                        "edge heap " + ResultTable.bytes(heapBefore) + " -> " + ResultTable.bytes(heapAfter), "-", "<= 20 KB",
                        ResultTable.met(heapPer <= TARGET_BYTES && reached == count)));
    }
}
