package io.meshwork.controlplane.internal.otlp;

import static io.meshwork.controlplane.otlp.OtlpReceiver.attribute;
import static io.meshwork.controlplane.otlp.OtlpReceiver.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.controlplane.ControlPlane;
import io.meshwork.controlplane.ControlPlaneConfig;
import io.meshwork.controlplane.OtlpSettings;
import io.meshwork.controlplane.TestDatabases;
import io.meshwork.controlplane.otlp.OtlpReceiver;
import io.meshwork.controlplane.otlp.OtlpReceiver.Received;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceEmitter;
import io.meshwork.core.trace.TraceHop;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.topology.TopologyLoader;
import io.micrometer.core.instrument.Counter;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Trace hops written to a region's {@code mesh.traces} reach a real OTLP/HTTP receiver (a JDK
 * HttpServer decoding {@code ExportTraceServiceRequest}) as spans of the publisher's trace; a
 * collector that cannot be reached costs spans, counted, but never the stored trace.
 */
@Tag("integration")
@Timeout(120)
class OtlpExportIntegrationTest {

    private static final String REGION = "us-east-1";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PUBLISHER_SPAN = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PUBLISHER_SPAN + "-01";

    private static EmbeddedKafkaCluster kafka;
    private static OtlpReceiver collector;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
        for (String topic : List.of(MeshKafkaTopics.HEARTBEATS, MeshKafkaTopics.TRACES, MeshKafkaTopics.INTEREST)) {
            kafka.createTopic(topic, 1, Map.of());
        }
        collector = new OtlpReceiver();
    }

    @AfterAll
    static void stop() {
        if (collector != null) {
            collector.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static ControlPlane controlPlane(OtlpSettings otlp) {
        return ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh())
                        .withRegionKafka(Map.of(REGION, KafkaClients.of(kafka.bootstrapServers()))).withOtlp(otlp),
                TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), null, List.of());
    }

    private static TraceHop hop(String eventId, HopKind kind, String region, String broker, long atMs, long latencyMs, String from) {
        return new TraceHop(eventId, "orders/eu/created", 17, REGION, "edge-" + REGION, List.of(REGION, "eu-west-1"), kind, region,
                broker, atMs, latencyMs, from, false, TRACEPARENT);
    }

    private static double spans(String outcome) {
        Counter counter = MeshMetrics.registry().find("mesh.traces.otlp.spans").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private int traceStatus(ControlPlane plane, String eventId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + "/v1/traces/" + eventId)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTracedEventsHopsArriveAsSpansOfThePublishersTrace() throws Exception {
        double exportedBefore = spans("exported");
        long t0 = System.currentTimeMillis();
        try (ControlPlane plane = controlPlane(OtlpSettings.to(URI.create(collector.endpoint())).withHeaders(Map.of("X-Tenant", "blue")));
             TraceEmitter nodes = new TraceEmitter(KafkaClients.of(kafka.bootstrapServers()), REGION, "otlp-test")) {
            nodes.emit(hop("otlp-1", HopKind.PUBLISH, REGION, "edge-" + REGION, t0, 4, null));
            nodes.emit(hop("otlp-1", HopKind.FORWARD, REGION, "router-" + REGION, t0 + 6, 2, null));
            nodes.emit(hop("otlp-1", HopKind.ARRIVAL, "eu-west-1", "router-eu-west-1", t0 + 80, 74, REGION));
            nodes.emit(hop("otlp-1", HopKind.DELIVERY, "eu-west-1", "edge-eu-west-1", t0 + 83, 3, null));

            await().atMost(Duration.ofSeconds(40)).until(() -> collector.spansOf("otlp-1").size() == 4);
            Map<String, Received> byName = collector.spansOf("otlp-1").stream().collect(Collectors.toMap(r -> r.span().getName(), r -> r));
            assertThat(byName).containsOnlyKeys("publish us-east-1", "forward us-east-1", "arrival eu-west-1", "delivery eu-west-1");
            for (Received received : byName.values()) {
                assertThat(hex(received.span().getTraceId())).isEqualTo(TRACE_ID);
                assertThat(hex(received.span().getParentSpanId())).isEqualTo(PUBLISHER_SPAN);
                assertThat(attribute(received.span(), "messaging.destination.name")).isEqualTo("orders/eu/created");
                assertThat(received.resource()).containsEntry("service.name", "meshwork");
                assertThat(received.headers()).containsEntry("content-type", "application/x-protobuf").containsEntry("x-tenant", "blue");
            }
            assertThat(byName.values().stream().map(r -> hex(r.span().getSpanId())).distinct()).hasSize(4);

            Span arrival = byName.get("arrival eu-west-1").span();
            assertThat(arrival.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CONSUMER);
            assertThat(attribute(arrival, "meshwork.region")).isEqualTo("eu-west-1");
            assertThat(attribute(arrival, "meshwork.hop.kind")).isEqualTo("ARRIVAL");
            assertThat(attribute(arrival, "meshwork.link")).isEqualTo("us-east-1->eu-west-1");
            assertThat(arrival.getStartTimeUnixNano()).isEqualTo((t0 + 6) * 1_000_000);
            assertThat(arrival.getEndTimeUnixNano()).isEqualTo((t0 + 80) * 1_000_000);
            assertThat(byName.get("arrival eu-west-1").resource()).containsEntry("service.instance.id", "router-eu-west-1");
            Span publish = byName.get("publish us-east-1").span();
            assertThat(publish.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_PRODUCER);
            assertThat(publish.getEndTimeUnixNano() - publish.getStartTimeUnixNano()).isEqualTo(4_000_000);
            assertThat(spans("exported") - exportedBefore).isGreaterThanOrEqualTo(4);
            assertThat(traceStatus(plane, "otlp-1")).isEqualTo(200);
        }
    }

    @Test
    void anUnreachableCollectorCostsCountedSpansButNeverTheStoredTrace() throws Exception {
        double failedBefore = spans("failed");
        try (ControlPlane plane = controlPlane(OtlpSettings.to(URI.create("http://127.0.0.1:1")).withTimeout(Duration.ofSeconds(2)));
             TraceEmitter nodes = new TraceEmitter(KafkaClients.of(kafka.bootstrapServers()), REGION, "otlp-test-down")) {
            nodes.emit(hop("otlp-down", HopKind.PUBLISH, REGION, "edge-" + REGION, System.currentTimeMillis(), 3, null));

            await().atMost(Duration.ofSeconds(30)).until(() -> traceStatus(plane, "otlp-down") == 200);
            await().atMost(Duration.ofSeconds(40)).until(() -> spans("failed") - failedBefore >= 1);
        }
    }
}
