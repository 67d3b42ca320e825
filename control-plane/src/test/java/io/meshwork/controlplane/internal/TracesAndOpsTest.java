package io.meshwork.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.DatabaseSettings;
import io.meshwork.controlplane.TestDatabases;
import io.meshwork.controlplane.internal.db.ControlPlaneDatabase;
import io.meshwork.controlplane.internal.directory.BrokerDirectory;
import io.meshwork.controlplane.internal.ops.OpsQueries;
import io.meshwork.controlplane.internal.traces.TraceWriter;
import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceHop;
import io.meshwork.topology.TopologyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.ResultQuery;
import org.jooq.conf.ParamType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trace storage, {@code GET /v1/traces/{id}} and the ops queries on seeded hops: what each query
 * answers, and that each is served by an index.
 */
class TracesAndOpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControlPlane plane;
    private static ControlPlaneDatabase database;
    private static TraceWriter writer;
    private static OpsQueries ops;
    /** Seeded hops are an hour old, so the queries' windows select exactly them. */
    private static final long T0 = System.currentTimeMillis() - 3_600_000;
    private static final Instant FROM = Instant.ofEpochMilli(T0 - 60_000);
    private static final Instant TO = Instant.ofEpochMilli(T0 + 600_000);
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        DatabaseSettings db = TestDatabases.fresh();
        plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(db),
                TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), null, List.of());
        database = ControlPlaneDatabase.open(db);
        writer = new TraceWriter(database.dsl(), new BrokerDirectory(database.dsl()));
        ops = new OpsQueries(database.dsl());
        List<TraceHop> hops = new ArrayList<>();
        // Three events us -> ap (direct), latencies 90/95/300 ms over the link.
        for (int i = 0; i < 3; i++) {
            hops.addAll(crossing("us-ap-" + i, "orders/us/checkout", T0 + i * 1000, new int[] {90, 95, 300}[i]));
        }
        // One event us -> eu -> ap (transit through eu).
        long t = T0 + 5000;
        hops.add(hop("via-eu", "orders/us/checkout", HopKind.PUBLISH, "us-east-1", "edge-us", t, 2, null, List.of("us-east-1")));
        hops.add(hop("via-eu", "orders/us/checkout", HopKind.FORWARD, "us-east-1", "router-us-east-1", t + 10, 8, null, List.of("us-east-1")));
        hops.add(hop("via-eu", "orders/us/checkout", HopKind.FORWARD, "eu-west-1", "router-eu-west-1", t + 50, 40, "us-east-1",
                List.of("us-east-1", "eu-west-1")));
        hops.add(hop("via-eu", "orders/us/checkout", HopKind.ARRIVAL, "ap-southeast-1", "router-ap-southeast-1", t + 120, 70,
                "eu-west-1", List.of("us-east-1", "eu-west-1", "ap-southeast-1")));
        // Two events published in eu, staying local.
        for (int i = 0; i < 2; i++) {
            hops.add(hop("eu-local-" + i, "prices/eu", HopKind.PUBLISH, "eu-west-1", "edge-eu", T0 + 7000 + i, 1, null,
                    List.of("eu-west-1")));
        }
        // An old event, outside every window used below.
        hops.add(hop("ancient", "orders/us/checkout", HopKind.PUBLISH, "us-east-1", "edge-us", T0 - 86_400_000L * 40, 1, null,
                List.of("us-east-1")));
        assertThat(writer.write(hops)).isEqualTo(hops.size());
        assertThat(writer.write(hops)).as("a batch read twice is stored once").isZero();
        database.dsl().execute("ANALYZE message_trace_logs");
    }

    @AfterAll
    static void stop() {
        database.close();
        plane.close();
    }

    private static List<TraceHop> crossing(String id, String topic, long t, int linkMs) {
        return List.of(
                hop(id, topic, HopKind.PUBLISH, "us-east-1", "edge-us", t, 3, null, List.of("us-east-1")),
                hop(id, topic, HopKind.FORWARD, "us-east-1", "router-us-east-1", t + 5, 5, null, List.of("us-east-1")),
                hop(id, topic, HopKind.ARRIVAL, "ap-southeast-1", "router-ap-southeast-1", t + 5 + linkMs, linkMs, "us-east-1",
                        List.of("us-east-1", "ap-southeast-1")),
                hop(id, topic, HopKind.DELIVERY, "ap-southeast-1", "edge-ap", t + 8 + linkMs, 3, null,
                        List.of("us-east-1", "ap-southeast-1")));
    }

    private static TraceHop hop(String id, String topic, HopKind kind, String region, String broker, long at, long latency,
                                String from, List<String> path) {
        return new TraceHop(id, topic, 120, path.get(0), "edge-" + path.get(0).substring(0, 2), path, kind, region, broker, at,
                latency, from, false);
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    @Test
    void traceApiListsTheHopsInOrderWithBrokerRegionTimeAndLatency() throws Exception {
        JsonNode trace = get("/v1/traces/via-eu", 200);
        JsonNode hops = trace.get("hops");
        assertThat(hops).hasSize(4);
        assertThat(hops.findValuesAsText("kind")).containsExactly("PUBLISH", "FORWARD", "FORWARD", "ARRIVAL");
        assertThat(hops.findValuesAsText("region")).containsExactly("us-east-1", "us-east-1", "eu-west-1", "ap-southeast-1");
        assertThat(hops.findValuesAsText("broker")).containsExactly("edge-us", "router-us-east-1", "router-eu-west-1",
                "router-ap-southeast-1");
        assertThat(hops.get(3).get("latencyMs").asInt()).isEqualTo(70);
        assertThat(hops.get(3).get("sincePublishMs").asInt()).isEqualTo(120);
        assertThat(hops.get(3).get("fromRegion").asText()).isEqualTo("eu-west-1");
        assertThat(hops.get(3).get("routingPath").toString()).isEqualTo("[\"us-east-1\",\"eu-west-1\",\"ap-southeast-1\"]");
        assertThat(Instant.parse(hops.get(0).get("time").asText())).isEqualTo(Instant.ofEpochMilli(T0 + 5000));

        assertThat(get("/v1/traces/never-seen", 404).get("error").asText()).isEqualTo("NOT_TRACED");
    }

    @Test
    void busiestTopicsCountEventsAndRegionsReached() {
        var rows = OpsQueries.rows(ops.busiestTopicsQuery(FROM, TO, 10));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("topic", "orders/us/checkout").containsEntry("events", 4).containsEntry("regions", 3);
        assertThat(rows.get(1)).containsEntry("topic", "prices/eu").containsEntry("events", 2).containsEntry("regions", 1);
    }

    @Test
    void linkLatencyGivesP50AndP99PerLink() {
        var rows = OpsQueries.rows(ops.linkLatencyQuery(FROM, TO));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("from", "eu-west-1").containsEntry("to", "ap-southeast-1").containsEntry("hops", 1);
        assertThat(rows.get(1)).containsEntry("from", "us-east-1").containsEntry("to", "ap-southeast-1").containsEntry("hops", 3)
                .containsEntry("p50Ms", 95.0).containsEntry("maxMs", 300);
        assertThat((Double) rows.get(1).get("p99Ms")).isBetween(295.0, 300.0);
    }

    @Test
    void hopCountDistributionCountsEventsByBrokersEntered() {
        var rows = OpsQueries.rows(ops.hopCountsQuery(FROM, TO));
        assertThat(rows).extracting(r -> r.get("hopCount") + ":" + r.get("events")).containsExactly("1:2", "2:3", "3:1");
    }

    @Test
    void eventsPerOriginRegion() {
        var rows = OpsQueries.rows(ops.originsQuery(FROM, TO));
        assertThat(rows).extracting(r -> r.get("originRegion") + ":" + r.get("events")).containsExactly("us-east-1:4", "eu-west-1:2");
    }

    @Test
    void opsEndpointsAnswerAndRefuseBadWindows() throws Exception {
        JsonNode origins = get("/v1/ops/origins?from=" + FROM + "&to=" + TO, 200);
        assertThat(origins.get("origins")).hasSize(2);
        assertThat(get("/v1/ops/busiest-topics?from=" + FROM + "&to=" + TO + "&limit=1", 200).get("topics")).hasSize(1);
        assertThat(get("/v1/ops/link-latency?from=" + FROM + "&to=" + TO, 200).get("links")).hasSize(2);
        assertThat(get("/v1/ops/hop-counts?window=PT5M", 200).get("hopCounts")).isEmpty();
        assertThat(get("/v1/ops/origins?from=yesterday", 400).get("field").asText()).isEqualTo("from");
        assertThat(get("/v1/ops/origins?window=5m", 400).get("field").asText()).isEqualTo("window");
        assertThat(get("/v1/ops/busiest-topics?limit=0", 400).get("field").asText()).isEqualTo("limit");
        assertThat(get("/v1/ops/origins?from=" + TO + "&to=" + FROM, 400).get("error").asText()).isEqualTo("INVALID_WINDOW");
    }

    @Test
    void writesTraceBatchesQuickly() {
        long now = System.currentTimeMillis() - 86_400_000L * 400; // far from the other tests' windows
        for (int round = 0; round < 3; round++) {
            List<TraceHop> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                batch.addAll(crossing("bulk-" + round + "-" + i, "bulk/topic", now + i, 100));
            }
            long started = System.nanoTime();
            int stored = writer.write(batch);
            long micros = (System.nanoTime() - started) / 1000;
            System.out.printf("stored a batch of %d trace hops in %d ms (%.0f µs per hop)%n", stored, micros / 1000,
                    (double) micros / stored);
            assertThat(stored).isEqualTo(batch.size());
        }
    }

    @Test
    void everyOpsQueryAndTheTraceLookupUseAnIndex() {
        assertUsesIndex(ops.busiestTopicsQuery(FROM, TO, 10), "created_at", true);
        assertUsesIndex(ops.linkLatencyQuery(FROM, TO), "hop_kind", true);
        assertUsesIndex(ops.hopCountsQuery(FROM, TO), "created_at", true);
        assertUsesIndex(ops.originsQuery(FROM, TO), "hop_kind", true);
        // An event id says nothing about the month: the lookup visits every partition, by index.
        assertUsesIndex(database.dsl().selectFrom(io.meshwork.controlplane.db.Tables.MESSAGE_TRACE_LOGS)
                .where(io.meshwork.controlplane.db.Tables.MESSAGE_TRACE_LOGS.MESSAGE_ID.eq("via-eu")), "message_id", false);
    }

    /**
     * EXPLAIN with sequential scans priced out (the seeded table is tiny, so the planner would
     * rightly scan it): the plan must reach the rows through an index whose condition is on
     * {@code column}, in the partition the window falls in only.
     */
    private static void assertUsesIndex(ResultQuery<?> query, String column, boolean pruned) {
        List<String> lines = database.dsl().transactionResult(tx -> {
            tx.dsl().execute("SET LOCAL enable_seqscan = off");
            return tx.dsl().fetch("EXPLAIN " + query.getSQL(ParamType.INLINED)).getValues(0, String.class);
        });
        String plan = String.join("\n", lines);
        System.out.println("EXPLAIN " + query.getSQL(ParamType.INLINED) + "\n" + plan);
        assertThat(plan).as(plan).containsPattern("Index (Only )?Scan|Bitmap Index Scan")
                .containsPattern("Index Cond: \\(+" + column).doesNotContain("Seq Scan");
        if (pruned) {
            assertThat(plan).as("partitions outside the window are pruned").doesNotContain("message_trace_logs_default");
        }
    }
}
