package io.meshwork.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.interest.LinkState;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouteAdvert;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.router.RouterConfig;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.routing.ArrivalProgress;
import io.meshwork.router.routing.RoutingTable;
import io.meshwork.schema.control.v1.ControlProto;
import io.meshwork.topology.Link;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

/** The control protocol in the router's topology: version 1 records read, re-issued in version 2; unreadable ones dead-lettered. */
class ControlProtocolTopologyTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final List<Link> LINKS = List.of(
            new Link(US, EU, Duration.ofMillis(70)), new Link(EU, AP, Duration.ofMillis(120)), new Link(US, AP, Duration.ofMillis(180)));

    @TempDir
    Path stateDir;

    private final Instant start = Instant.parse("2026-12-07T10:00:00Z");
    private TopologyTestDriver driver;
    private RoutingTable routingTable;
    private TestInputTopic<String, byte[]> interest;
    private TestInputTopic<String, byte[]> routes;
    private TestInputTopic<String, byte[]> euRoutes;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> routesOut;
    private TestOutputTopic<String, byte[]> dlq;
    private TestOutputTopic<String, byte[]> toEu;
    private TestOutputTopic<String, byte[]> toAp;

    @BeforeEach
    void startDriver() throws Exception {
        RouterConfig config = new RouterConfig(US, "unused:9092", List.of(EU, AP), LINKS, 1,
                Files.createDirectories(stateDir.resolve("state")), Duration.ofMillis(500));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        routingTable = new RoutingTable(US, LINKS);
        driver = new TopologyTestDriver(RouterTopology.build(config, new RemoteInterest(), routingTable, new ArrivalProgress(), 3),
                props, start);
        StringSerializer keyIn = new StringSerializer();
        ByteArraySerializer valueIn = new ByteArraySerializer();
        interest = driver.createInputTopic(MeshKafkaTopics.INTEREST, keyIn, valueIn);
        routes = driver.createInputTopic(MeshKafkaTopics.ROUTES, keyIn, valueIn);
        euRoutes = driver.createInputTopic(MeshKafkaTopics.remoteRoutes(EU), keyIn, valueIn);
        events = driver.createInputTopic(MeshKafkaTopics.EVENTS, keyIn, valueIn);
        StringDeserializer keyOut = new StringDeserializer();
        ByteArrayDeserializer valueOut = new ByteArrayDeserializer();
        routesOut = driver.createOutputTopic(MeshKafkaTopics.ROUTES, keyOut, valueOut);
        dlq = driver.createOutputTopic(MeshKafkaTopics.DLQ, keyOut, valueOut);
        toEu = driver.createOutputTopic(MeshKafkaTopics.link(EU), keyOut, valueOut);
        toAp = driver.createOutputTopic(MeshKafkaTopics.link(AP), keyOut, valueOut);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void floodsAVersion1AdvertFromANeighbourInTheCurrentVersionAndAcknowledgesIt() {
        RouteAdvert advert = new RouteAdvert(AP, "orders/#", "", 5, true, start.toEpochMilli());

        euRoutes.pipeInput(advert.key(), Version1Records.advert(AP, "orders/#", 5, true, start.toEpochMilli()));

        List<TestRecord<String, byte[]>> out = routesOut.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly(advert.key(), RouteAck.of(US, advert).key());
        assertThat(out).allSatisfy(record -> assertThat(ControlCodec.isVersion1(record.value())).isFalse());
        assertThat(ControlCodec.decode(out.get(0).value())).isEqualTo(advert);
        assertThat(ControlCodec.decode(out.get(1).value())).isEqualTo(RouteAck.of(US, advert));
    }

    @Test
    void routesByVersion1AdvertsAndLinkStatesOnTheRouteTopic() {
        routes.pipeInput(new RouteAdvert(AP, "orders/#", "", 1, true, 0).key(), Version1Records.advert(AP, "orders/#", 1, true, 0));
        // ap-southeast-1 no longer hears us-east-1: its traffic goes round through eu-west-1.
        routes.pipeInput(LinkState.KEY_PREFIX + AP, Version1Records.linkState(AP, 9, 0, Map.of(US, false, EU, true)));

        publish("e1", "orders/ap/checkout");

        assertThat(routingTable.stateOf(AP)).hasValueSatisfying(state -> assertThat(state.hears(US)).isFalse());
        assertThat(toAp.isEmpty()).isTrue();
        assertThat(toEu.readRecordsToList()).singleElement().satisfies(record -> assertThat(header(record, "mesh_dest")).isEqualTo(AP));
    }

    @Test
    void reissuesItsOwnVersion1AdvertInTheCurrentVersionWithAHigherSequenceNumber() {
        String key = RouteAdvert.key(US, "a/#", "");
        driver.<String, byte[]>getKeyValueStore(RouterTopology.ADVERTISED_STORE).put(key, Version1Records.advert(US, "a/#", 3, true, 0));

        interest.pipeInput(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(10).toEpochMilli()).encode());
        interest.pipeInput(InterestKey.subscription("edge-1", "a/#", "").encode(), utf8(US));

        TestRecord<String, byte[]> reissued = routesOut.readRecord();
        assertThat(reissued.key()).isEqualTo(key);
        assertThat(ControlCodec.isVersion1(reissued.value())).isFalse();
        RouteAdvert advert = ControlCodec.decode(reissued.value(), RouteAdvert.class);
        assertThat(advert.active()).isTrue();
        assertThat(advert.seq()).isGreaterThan(3);
        assertThat(routesOut.isEmpty()).as("issued once").isTrue();
    }

    @Test
    void sendsAnUnknownKindAndGarbageToTheDlqWithTheReasonAndFloodsOn() {
        byte[] future = ControlProto.ControlRecord.newBuilder().setVersion(3)
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(7, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("a kind of a later release")).build()).build())
                .build().toByteArray();
        RouteAdvert advert = new RouteAdvert(AP, "orders/#", "", 8, true, 0);

        euRoutes.pipeInput("future|1", future);
        euRoutes.pipeInput(new TestRecord<>("garbage|1", new byte[] {(byte) 0xff, 0x00, 0x13}, new RecordHeaders().add("origin-header",
                utf8("kept")), start));
        euRoutes.pipeInput(advert.key(), ControlCodec.encode(advert));

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(TestRecord::key).containsExactly("future|1", "garbage|1");
        assertThat(header(dead.get(0), "mesh_dlq_field")).isEqualTo("kind");
        assertThat(header(dead.get(0), "mesh_dlq_reason")).contains("unknown kind (field 7", "version 3");
        assertThat(dead.get(0).value()).isEqualTo(future);
        assertThat(header(dead.get(1), "mesh_dlq_field")).isEqualTo("value");
        assertThat(header(dead.get(1), "origin-header")).isEqualTo("kept");
        assertThat(routesOut.readRecordsToList()).extracting(TestRecord::key)
                .containsExactly(advert.key(), RouteAck.of(US, advert).key());
    }

    private void publish(String id, String topic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("1.0"));
        headers.add("ce_id", utf8(id));
        headers.add("ce_source", utf8("/tests"));
        headers.add("ce_type", utf8("test.event"));
        headers.add("ce_meshtopic", utf8(topic));
        events.pipeInput(new TestRecord<>("k", utf8("{}"), headers, start));
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
