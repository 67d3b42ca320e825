package io.meshwork.router.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.RouteAdvert;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceHop;
import io.meshwork.router.RouterConfig;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.internal.RouterTopology;
import io.meshwork.router.routing.RoutingTable;
import io.meshwork.topology.Link;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router's trace hops, on Kafka Streams' test driver: written by the topology beside the forwards they describe. */
class HopTracingTopologyTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final List<Link> LINKS = List.of(
            new Link(US, EU, Duration.ofMillis(70)), new Link(EU, AP, Duration.ofMillis(120)), new Link(US, AP, Duration.ofMillis(180)));
    private final Instant start = Instant.parse("2026-11-29T10:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> routes;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> fromEu;
    private TestOutputTopic<String, byte[]> toAp;
    private TestOutputTopic<String, byte[]> eventsOut;
    private TestOutputTopic<String, byte[]> traces;

    @BeforeEach
    void startDriver() throws Exception {
        RouterConfig config = new RouterConfig(US, "unused:9092", List.of(EU, AP), LINKS, 1,
                Files.createDirectories(stateDir.resolve("state")), Duration.ofMillis(500));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        driver = new TopologyTestDriver(RouterTopology.build(config, new RemoteInterest(), new RoutingTable(US, LINKS),
                new io.meshwork.router.routing.ArrivalProgress(), 3), props, start);
        routes = driver.createInputTopic(MeshKafkaTopics.ROUTES, new StringSerializer(), new ByteArraySerializer());
        events = driver.createInputTopic(MeshKafkaTopics.EVENTS, new StringSerializer(), new ByteArraySerializer());
        fromEu = driver.createInputTopic(MeshKafkaTopics.arrivals(EU, US), new StringSerializer(), new ByteArraySerializer());
        toAp = driver.createOutputTopic(MeshKafkaTopics.link(AP), new StringDeserializer(), new ByteArrayDeserializer());
        eventsOut = driver.createOutputTopic(MeshKafkaTopics.EVENTS, new StringDeserializer(), new ByteArrayDeserializer());
        traces = driver.createOutputTopic(MeshKafkaTopics.TRACES, new StringDeserializer(), new ByteArrayDeserializer());
        RouteAdvert advert = new RouteAdvert(AP, "orders/#", "", 1, true, start.toEpochMilli());
        routes.pipeInput(advert.key(), ControlCodec.encode(advert));
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Headers event(String id, String... extra) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("1.0"));
        headers.add("ce_id", utf8(id));
        headers.add("ce_source", utf8("/tests"));
        headers.add("ce_type", utf8("test.event"));
        headers.add("ce_meshtopic", utf8("orders/ap/checkout"));
        for (int i = 0; i < extra.length; i += 2) {
            headers.add(extra[i], utf8(extra[i + 1]));
        }
        return headers;
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aTracedEventGetsAForwardHopAndItsCopyCarriesTheHopTime() {
        long publishedAt = start.toEpochMilli() - 40;
        events.pipeInput(new TestRecord<>("k", utf8("{}"), event("e1", "mesh_origin", US, "mesh_path", US, "mesh_hops", "16",
                "mesh_trace", "sampled", "mesh_hop_at", Long.toString(publishedAt)), start));

        TraceHop hop = TraceHop.decode(traces.readValue());
        assertThat(hop.kind()).isEqualTo(HopKind.FORWARD);
        assertThat(hop.region()).isEqualTo(US);
        assertThat(hop.broker()).isEqualTo("router-" + US);
        assertThat(hop.eventId()).isEqualTo("e1");
        assertThat(hop.latencyMs()).isGreaterThanOrEqualTo(40);
        TestRecord<String, byte[]> copy = toAp.readRecord();
        assertThat(header(copy, "mesh_trace")).isEqualTo("sampled");
        assertThat(Long.parseLong(header(copy, "mesh_hop_at"))).isEqualTo(hop.atMs());
    }

    @Test
    void anUntracedEventWritesNoHop() {
        events.pipeInput(new TestRecord<>("k", utf8("{}"), event("e2", "mesh_origin", US, "mesh_path", US, "mesh_hops", "16"), start));
        assertThat(toAp.readRecordsToList()).hasSize(1);
        assertThat(traces.isEmpty()).isTrue();
    }

    @Test
    void aPlainKafkaEventIsSampledByItsOriginRouter() {
        events.pipeInput(new TestRecord<>("k", utf8("{}"),
                event("e3", "ce_traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), start));
        assertThat(TraceHop.decode(traces.readValue()).kind()).isEqualTo(HopKind.FORWARD);
        assertThat(header(toAp.readRecord(), "mesh_trace")).isEqualTo("sampled");
    }

    @Test
    void aHopCarriesTheEventsTraceparentSoACollectorCanJoinThePublishersTrace() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), event("tp-1", "mesh_origin", AP, "mesh_path", AP + "," + EU + "," + US,
                "mesh_hops", "14", "mesh_dest", US, "mesh_trace", "sampled", "ce_traceparent", traceparent), start));
        events.pipeInput(new TestRecord<>("k", utf8("{}"), event("tp-2", "mesh_origin", US, "mesh_path", US, "mesh_hops", "16",
                "mesh_trace", "sampled"), start));

        assertThat(TraceHop.decode(traces.readValue()).traceparent()).isEqualTo(traceparent);
        assertThat(TraceHop.decode(traces.readValue()).traceparent()).isNull();
    }

    @Test
    void aTraceOnlyArrivalIsTracedButNotDeliveredLocally() {
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), event("dry-1", "mesh_origin", AP, "mesh_path", AP + "," + EU + "," + US,
                "mesh_hops", "14", "mesh_dest", US, "mesh_trace", "trace-only"), start));
        TraceHop hop = TraceHop.decode(traces.readValue());
        assertThat(hop.kind()).isEqualTo(HopKind.ARRIVAL);
        assertThat(hop.fromRegion()).isEqualTo(EU);
        assertThat(hop.traceOnly()).isTrue();
        assertThat(hop.path()).containsExactly(AP, EU, US);
        assertThat(eventsOut.isEmpty()).isTrue();

        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), event("real-1", "mesh_origin", AP, "mesh_path", AP + "," + EU + "," + US,
                "mesh_hops", "14", "mesh_dest", US, "mesh_trace", "sampled"), start));
        assertThat(TraceHop.decode(traces.readValue()).traceOnly()).isFalse();
        assertThat(eventsOut.readRecordsToList()).hasSize(1);
    }
}
