package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshwork.connectors.links.LinkMode;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.controlplane.otlp.OtlpReceiver;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.Publisher;
import io.meshwork.edge.StreamClient;
import io.meshwork.launcher.cli.MeshCli;
import io.meshwork.topology.TopologyLoader;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The control plane on the real embedded mesh: the broker directory fed by heartbeats, sampled
 * traces from edge to edge across regions, trace-only dry runs, and routing rules as standing
 * interest.
 */
@Tag("integration")
@Timeout(300)
class TracingIntegrationTest {

    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedMesh mesh;
    /** The control plane exports every hop it stores to this collector. */
    private static OtlpReceiver collector;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startMesh() throws Exception {
        collector = new OtlpReceiver();
        mesh = EmbeddedMesh.start(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), EmbeddedMesh.Ports.EPHEMERAL,
                LinkMode.PUSH, new MeshOverrides(Map.of(), Map.of(ControlPlaneKeys.OTLP_ENDPOINT, collector.endpoint())),
                MeshProgress.SILENT);
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mesh.controlPlaneUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(call("GET", path, null).body());
    }

    private static HttpResponse<String> publish(String region, String topic, String eventId, Map<String, String> extensions)
            throws Exception {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("Content-Type", "application/json", "ce-specversion", "1.0",
                "ce-type", "test.event", "ce-source", "/tests", "ce-id", eventId, "ce-meshtopic", topic));
        headers.putAll(extensions);
        HttpResponse<String> response = new Publisher(mesh.region(region).httpUrl())
                .publish(headers, "{\"amountCents\":4900}".getBytes(StandardCharsets.UTF_8), "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response;
    }

    private JsonNode awaitTrace(String eventId, int hops) {
        JsonNode[] trace = new JsonNode[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            HttpResponse<String> response = call("GET", "/v1/traces/" + eventId, null);
            trace[0] = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
            return trace[0] != null && trace[0].get("hops").size() >= hops;
        });
        return trace[0];
    }

    @Test
    void everyEdgeAndRouterRegistersAndTheAllocationHandsOutTheRegionsEdge() throws Exception {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/brokers?status=ACTIVE").get("brokers").size() >= 6);
        JsonNode brokers = get("/v1/brokers?region=" + AP).get("brokers");
        assertThat(brokers.findValuesAsText("role")).contains("EDGE", "ROUTER");
        assertThat(brokers.findValuesAsText("brokerName")).contains(mesh.edge(AP).edgeId(), "router-" + AP);

        JsonNode allocated = get("/v1/brokers/allocate?region=" + AP);
        assertThat(allocated.get("brokerName").asText()).isEqualTo(mesh.edge(AP).edgeId());
        assertThat(allocated.get("endpoint").asText()).isEqualTo(mesh.region(AP).httpUrl());
    }

    @Test
    void anEdgeThatStopsHeartbeatingTurnsOfflineAndOneThatLeavesSaysSo() throws Exception {
        EdgeBridge crashing = EdgeBridge.start(EdgeConfig.defaults(US, mesh.region(US).bootstrapServers()).withHttp("127.0.0.1", 0)
                .withTraceSampleRate(0));
        EdgeBridge leaving = EdgeBridge.start(EdgeConfig.defaults(US, mesh.region(US).bootstrapServers()).withHttp("127.0.0.1", 0)
                .withTraceSampleRate(0));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> status(crashing.edgeId()).equals("ACTIVE") && status(leaving.edgeId()).equals("ACTIVE"));

        leaving.close();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> status(leaving.edgeId()).equals("OFFLINE"));

        long crashed = System.nanoTime();
        crashing.crash();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> status(crashing.edgeId()).equals("OFFLINE"));
        long silentMs = (System.nanoTime() - crashed) / 1_000_000;
        System.out.printf("crashed edge %s marked OFFLINE %d ms after its last heartbeat could have been sent%n",
                crashing.edgeId(), silentMs);
        assertThat(silentMs).isGreaterThanOrEqualTo(3_000);
        assertThat(status(mesh.edge(US).edgeId())).isEqualTo("ACTIVE");
    }

    private String status(String brokerName) throws Exception {
        for (JsonNode node : get("/v1/brokers?region=" + US).get("brokers")) {
            if (node.get("brokerName").asText().equals(brokerName)) {
                return node.get("status").asText();
            }
        }
        return "UNKNOWN";
    }

    @Test
    void aSampledEventShowsItsHopsInOrderFromTheOriginEdgeToTheSubscribersEdge() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(mesh.region(AP).streamUrl())) {
            subscriber.subscribeMeshWide("traced/orders/#");
            String id = "evt-" + UUID.randomUUID();
            long published = System.nanoTime();
            publish(US, "traced/orders/checkout", id, Map.of("ce-traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            subscriber.awaitEvent(id);

            JsonNode trace = awaitTrace(id, 4);
            long visibleMs = (System.nanoTime() - published) / 1_000_000;
            JsonNode hops = trace.get("hops");
            assertThat(hops.findValuesAsText("kind")).containsExactly("PUBLISH", "FORWARD", "ARRIVAL", "DELIVERY");
            assertThat(hops.findValuesAsText("region")).containsExactly(US, US, AP, AP);
            assertThat(hops.findValuesAsText("broker")).containsExactly(mesh.edge(US).edgeId(), "router-" + US, "router-" + AP,
                    mesh.edge(AP).edgeId());
            assertThat(hops.get(2).get("fromRegion").asText()).isEqualTo(US);
            // The us-ap link has an emulated RTT of 180 ms: the arrival hop carries at least the one-way half.
            assertThat(hops.get(2).get("latencyMs").asLong()).isGreaterThanOrEqualTo(90);
            List<Long> times = new ArrayList<>();
            hops.forEach(hop -> times.add(hop.get("sincePublishMs").asLong()));
            assertThat(times).isSorted();
            System.out.printf("trace of %s visible through the API %d ms after publishing: %s%n", id, visibleMs, times);

            // The CLI prints the same hops.
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int exit;
            try {
                exit = new CommandLine(new MeshCli()).execute("trace", id, "--control-plane", mesh.controlPlaneUrl());
            } finally {
                System.setOut(stdout);
            }
            String rendered = printed.toString(StandardCharsets.UTF_8);
            System.out.print(rendered);
            assertThat(exit).isZero();
            assertThat(rendered).contains("4 hops").contains("PUBLISH").contains("ARRIVAL").contains("router-" + AP)
                    .contains(US + " > " + AP);

            JsonNode links = get("/v1/ops/link-latency?window=PT10M").get("links");
            assertThat(links.toString()).contains("\"from\":\"" + US + "\",\"to\":\"" + AP + "\"");
            assertThat(get("/v1/ops/origins?window=PT10M").get("origins").toString()).contains(US);
        }
    }

    @Test
    void aTracedEventsHopsReachAnOtlpCollectorAsSpansOfThePublishersTrace() throws Exception {
        String traceId = "5cf92f3577b34da6a3ce929d0e0e4736";
        String publisherSpan = "11f067aa0ba902b7";
        try (StreamClient subscriber = StreamClient.connect(mesh.region(AP).streamUrl())) {
            subscriber.subscribeMeshWide("otlp/orders/#");
            String id = "otlp-" + UUID.randomUUID();
            publish(US, "otlp/orders/checkout", id, Map.of("ce-traceparent", "00-" + traceId + "-" + publisherSpan + "-01"));
            subscriber.awaitEvent(id);

            await().atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> collector.spansOf(id).stream().map(r -> r.span().getName()).toList(),
                            names -> names.containsAll(List.of("publish " + US, "forward " + US, "arrival " + AP, "delivery " + AP)));
            List<Span> spans = collector.spansOf(id).stream().map(OtlpReceiver.Received::span).toList();
            assertThat(spans).allSatisfy(span -> {
                assertThat(OtlpReceiver.hex(span.getTraceId())).isEqualTo(traceId);
                assertThat(OtlpReceiver.hex(span.getParentSpanId())).isEqualTo(publisherSpan);
                assertThat(OtlpReceiver.attribute(span, "messaging.destination.name")).isEqualTo("otlp/orders/checkout");
            });
            Span delivery = spans.stream().filter(span -> span.getName().equals("delivery " + AP)).findFirst().orElseThrow();
            assertThat(OtlpReceiver.attribute(delivery, "meshwork.node")).isEqualTo(mesh.edge(AP).edgeId());
            Span arrival = spans.stream().filter(span -> span.getName().equals("arrival " + AP)).findFirst().orElseThrow();
            assertThat(OtlpReceiver.attribute(arrival, "meshwork.link")).endsWith("->" + AP);
        }
    }

    @Test
    void anEventRoutedAroundACutLinkShowsTheTransitHop() throws Exception {
        String eu = "eu-west-1";
        try (StreamClient subscriber = StreamClient.connect(mesh.region(AP).streamUrl())) {
            subscriber.subscribeMeshWide("transit/#");
            mesh.wan().cut(US, AP);
            try {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                        .until(() -> mesh.router(US).nextHop(AP).equals(java.util.Optional.of(eu)));
                String id = "transit-" + UUID.randomUUID();
                publish(US, "transit/orders", id, Map.of("ce-meshtrace", "true"));
                subscriber.awaitEvent(id);
                JsonNode hops = awaitTrace(id, 5).get("hops");
                assertThat(hops.findValuesAsText("kind")).containsExactly("PUBLISH", "FORWARD", "FORWARD", "ARRIVAL", "DELIVERY");
                assertThat(hops.findValuesAsText("region")).containsExactly(US, US, eu, AP, AP);
                assertThat(hops.get(3).get("fromRegion").asText()).isEqualTo(eu);
                assertThat(hops.get(3).get("hopCount").asInt()).isEqualTo(3);
            } finally {
                mesh.wan().heal(US, AP);
            }
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                    .until(() -> mesh.router(US).nextHop(AP).equals(java.util.Optional.of(AP)));
        }
    }

    @Test
    void aTraceOnlyEventIsRoutedAndTracedButDeliveredToNobody() throws Exception {
        try (StreamClient far = StreamClient.connect(mesh.region(AP).streamUrl());
             StreamClient near = StreamClient.connect(mesh.region(US).streamUrl())) {
            far.subscribeMeshWide("dryrun/#");
            near.subscribe("dryrun/#");
            String dry = "dry-" + UUID.randomUUID();
            publish(US, "dryrun/orders", dry, Map.of("ce-meshtraceonly", "true"));
            // An ordinary event after it, on the same topic (same partition, same order): once it is
            // delivered, the dry run would have been too.
            String after = "after-" + UUID.randomUUID();
            publish(US, "dryrun/orders", after, Map.of());
            far.awaitEvent(after);
            near.awaitEvent(after);
            assertThat(far.events()).noneMatch(e -> e.getEventId().equals(dry));
            assertThat(near.events()).noneMatch(e -> e.getEventId().equals(dry));

            JsonNode trace = awaitTrace(dry, 3);
            assertThat(trace.get("traceOnly").asBoolean()).isTrue();
            assertPublishedForwardedArrived(trace, AP);
            // Nor was it written into the destination's mesh.events, where Kafka-native consumers read.
            assertThat(MeshProbe.eventIdsIn(mesh, AP, MeshKafkaTopics.EVENTS)).contains(after).doesNotContain(dry);
        }
    }

    @Test
    void aRoutingRuleForwardsMatchingEventsToItsRegionUntilItIsSuspended() throws Exception {
        await().atMost(WAIT).until(() -> get("/v1/brokers/allocate?region=" + AP).has("brokerId"));
        String apEdge = get("/v1/brokers/allocate?region=" + AP).get("brokerId").asText();
        HttpResponse<String> created = call("POST", "/v1/rules",
                "{\"sourceTopicPattern\":\"ruled/+/audit\",\"destinationBrokerId\":\"" + apEdge + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String ruleId = JSON.readTree(created.body()).get("ruleId").asText();

        // No subscriber anywhere: only the rule makes us-east-1's router forward to ap-southeast-1.
        await().atMost(WAIT).until(() -> mesh.router(US).regionsWanting("ruled/eu/audit").contains(AP));
        String id = "ruled-" + UUID.randomUUID();
        publish(US, "ruled/eu/audit", id, Map.of("ce-meshtrace", "true"));
        await().atMost(WAIT).until(() -> MeshProbe.eventIdsIn(mesh, AP, MeshKafkaTopics.EVENTS).contains(id));
        assertPublishedForwardedArrived(awaitTrace(id, 3), AP);

        assertThat(call("PUT", "/v1/rules/" + ruleId, "{\"status\":\"SUSPENDED\"}").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> !mesh.router(US).regionsWanting("ruled/eu/audit").contains(AP));
        assertThat(call("DELETE", "/v1/rules/" + ruleId, null).statusCode()).isEqualTo(204);
    }

    /**
     * PUBLISH, one FORWARD per region the event left, then ARRIVAL in {@code destination}. Direct
     * (us-east-1 to ap-southeast-1, 180 ms) or through eu-west-1 (70 + 120 ms): the routers choose
     * by the RTT their links measure, which a busy machine inflates, so either path is right here.
     */
    private static void assertPublishedForwardedArrived(JsonNode trace, String destination) {
        java.util.List<String> kinds = trace.get("hops").findValuesAsText("kind");
        assertThat(kinds).as("hops of %s", trace).hasSizeBetween(3, 4);
        assertThat(kinds.get(0)).isEqualTo("PUBLISH");
        assertThat(kinds.subList(1, kinds.size() - 1)).as("hops of %s", trace).containsOnly("FORWARD");
        assertThat(kinds.get(kinds.size() - 1)).isEqualTo("ARRIVAL");
        assertThat(trace.get("hops").get(kinds.size() - 1).get("region").asText()).isEqualTo(destination);
    }
}
