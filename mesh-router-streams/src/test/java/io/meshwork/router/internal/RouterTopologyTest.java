package io.meshwork.router.internal;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.RouteAdvert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.meshwork.core.interest.LinkState;
import io.meshwork.schema.control.v1.ControlProto;
import java.util.Map;
import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouteAdvert;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.router.RouterConfig;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.routing.ArrivalProgress;
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

/** The router's topology on Kafka Streams' test driver: interest, flooding, routing, arrivals, loops, dead letters. */
class RouterTopologyTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final List<Link> LINKS = List.of(
            new Link(US, EU, Duration.ofMillis(70)), new Link(EU, AP, Duration.ofMillis(120)), new Link(US, AP, Duration.ofMillis(180)));

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private io.meshwork.router.routing.RoutingTable routingTable;
    private final Instant start = Instant.parse("2026-11-29T10:00:00Z");

    private ArrivalProgress progress;
    private TestInputTopic<String, byte[]> interest;
    private TestInputTopic<String, byte[]> routes;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> fromEu;
    private TestInputTopic<String, byte[]> euRoutes;
    private TestOutputTopic<String, byte[]> routesOut;
    private TestOutputTopic<String, byte[]> toEu;
    private TestOutputTopic<String, byte[]> toAp;
    private TestOutputTopic<String, byte[]> eventsOut;
    private TestOutputTopic<String, byte[]> dlq;
    private TestOutputTopic<String, byte[]> interestOut;

    @BeforeEach
    void startDriver() throws Exception {
        RouterConfig config = new RouterConfig(US, "unused:9092", List.of(EU, AP), LINKS, 1,
                Files.createDirectories(stateDir.resolve("state")), Duration.ofMillis(500));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        routingTable = new io.meshwork.router.routing.RoutingTable(US, LINKS);
        progress = new ArrivalProgress();
        driver = new TopologyTestDriver(RouterTopology.build(config, new RemoteInterest(), routingTable, progress, 3), props, start);
        StringSerializer keyIn = new StringSerializer();
        ByteArraySerializer valueIn = new ByteArraySerializer();
        StringDeserializer keyOut = new StringDeserializer();
        ByteArrayDeserializer valueOut = new ByteArrayDeserializer();
        interest = driver.createInputTopic(MeshKafkaTopics.INTEREST, keyIn, valueIn);
        routes = driver.createInputTopic(MeshKafkaTopics.ROUTES, keyIn, valueIn);
        events = driver.createInputTopic(MeshKafkaTopics.EVENTS, keyIn, valueIn);
        fromEu = driver.createInputTopic(MeshKafkaTopics.arrivals(EU, US), keyIn, valueIn);
        euRoutes = driver.createInputTopic(MeshKafkaTopics.remoteRoutes(EU), keyIn, valueIn);
        routesOut = driver.createOutputTopic(MeshKafkaTopics.ROUTES, keyOut, valueOut);
        toEu = driver.createOutputTopic(MeshKafkaTopics.link(EU), keyOut, valueOut);
        toAp = driver.createOutputTopic(MeshKafkaTopics.link(AP), keyOut, valueOut);
        eventsOut = driver.createOutputTopic(MeshKafkaTopics.EVENTS, keyOut, valueOut);
        dlq = driver.createOutputTopic(MeshKafkaTopics.DLQ, keyOut, valueOut);
        interestOut = driver.createOutputTopic(MeshKafkaTopics.INTEREST, keyOut, valueOut);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Headers event(String id, String topic) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("1.0"));
        headers.add("ce_id", utf8(id));
        headers.add("ce_source", utf8("/tests"));
        headers.add("ce_type", utf8("test.event"));
        headers.add("ce_meshtopic", utf8(topic));
        return headers;
    }

    private static Headers routed(Headers headers, String origin, String path, int hops, String destinations) {
        headers.add("mesh_origin", utf8(origin));
        headers.add("mesh_path", utf8(path));
        headers.add("mesh_hops", utf8(Integer.toString(hops)));
        if (destinations != null) {
            headers.add("mesh_dest", utf8(destinations));
        }
        return headers;
    }

    private static String header(TestRecord<String, byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void remoteInterest(String origin, String pattern, long seq, boolean active) {
        RouteAdvert advert = new RouteAdvert(origin, pattern, "", seq, active, start.toEpochMilli());
        routes.pipeInput(advert.key(), ControlCodec.encode(advert));
    }

    private void publish(Headers headers) {
        events.pipeInput(new TestRecord<>("k", utf8("{}"), headers, start));
    }

    @Test
    void advertisesTheRegionsInterestWhileAnEdgeWithALiveLeaseHoldsIt() {
        interest.pipeInput(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(10).toEpochMilli()).encode());
        interest.pipeInput(InterestKey.subscription("edge-1", "orders/us/#", "").encode(), utf8(US));
        interest.pipeInput(InterestKey.subscription("edge-2-no-lease", "never/#", "").encode(), utf8(US));

        List<RouteAdvert> adverts = routesOut.readValuesToList().stream().map(v -> ControlCodec.decode(v, RouteAdvert.class)).toList();

        assertThat(adverts).singleElement().satisfies(advert -> {
            assertThat(advert.origin()).isEqualTo(US);
            assertThat(advert.pattern()).isEqualTo("orders/us/#");
            assertThat(advert.active()).isTrue();
        });
    }

    @Test
    void withdrawsOnLastUnsubscribeAndCountsOneEntryPerEdgeAndPattern() {
        interest.pipeInput(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(10).toEpochMilli()).encode());
        interest.pipeInput(InterestKey.lease("edge-2").encode(), new EdgeLease(US, start.plusSeconds(10).toEpochMilli()).encode());
        interest.pipeInput(InterestKey.subscription("edge-1", "a/#", "").encode(), utf8(US));
        interest.pipeInput(InterestKey.subscription("edge-2", "a/#", "").encode(), utf8(US));
        interest.pipeInput(InterestKey.subscription("edge-1", "a/#", "").encode(), null);
        assertThat(routesOut.readValuesToList()).hasSize(1);

        interest.pipeInput(InterestKey.subscription("edge-2", "a/#", "").encode(), null);

        List<RouteAdvert> adverts = routesOut.readValuesToList().stream().map(v -> ControlCodec.decode(v, RouteAdvert.class)).toList();
        assertThat(adverts).singleElement().satisfies(advert -> assertThat(advert.active()).isFalse());
    }

    @Test
    void leasesAreNotJudgedBeforeTheTaskReadWhatWasWrittenSinceItStarted() {
        // Written before this task started (another instance ran it, then died): the renewal that
        // followed is still unread, so the lease only looks expired.
        Instant before = start.minusSeconds(60);
        interest.pipeInput(new TestRecord<>(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(3).toEpochMilli()).encode(),
                before));
        interest.pipeInput(new TestRecord<>(InterestKey.subscription("edge-1", "b/+", "").encode(), utf8(US), before));
        assertThat(ControlCodec.decode(routesOut.readValue(), RouteAdvert.class).active()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(adverts()).as("no withdrawal while catching up").isEmpty();
        assertThat(interestOut.isEmpty()).as("no tombstones while catching up").isTrue();

        interest.pipeInput(new TestRecord<>(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(20).toEpochMilli()).encode(),
                start.plusSeconds(4)));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(adverts()).isEmpty();
        assertThat(interestOut.isEmpty()).isTrue();
    }

    /** The adverts written to mesh.routes since the last read (heartbeats left out). */
    private List<RouteAdvert> adverts() {
        return routesOut.readRecordsToList().stream().map(record -> ControlCodec.decode(record.value()))
                .filter(RouteAdvert.class::isInstance).map(RouteAdvert.class::cast).toList();
    }

    @Test
    void leasesAreJudgedAfterTheCatchUpWhenNothingNewIsWritten() {
        Instant before = start.minusSeconds(60);
        interest.pipeInput(new TestRecord<>(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(3).toEpochMilli()).encode(),
                before));
        interest.pipeInput(new TestRecord<>(InterestKey.subscription("edge-1", "b/+", "").encode(), utf8(US), before));
        routesOut.readValue();

        driver.advanceWallClockTime(Duration.ofSeconds(11));

        assertThat(adverts()).singleElement().satisfies(advert -> assertThat(advert.active()).isFalse());
        assertThat(interestOut.readRecordsToList()).extracting(TestRecord::key)
                .containsExactly(InterestKey.subscription("edge-1", "b/+", "").encode(), InterestKey.lease("edge-1").encode());
    }

    @Test
    void expiredLeaseWithdrawsTheEdgesInterestAndTombstonesItsEntries() {
        interest.pipeInput(InterestKey.lease("edge-1").encode(), new EdgeLease(US, start.plusSeconds(3).toEpochMilli()).encode());
        interest.pipeInput(InterestKey.subscription("edge-1", "b/+", "").encode(), utf8(US));
        RouteAdvert first = ControlCodec.decode(routesOut.readValue(), RouteAdvert.class);

        driver.advanceWallClockTime(Duration.ofSeconds(4));

        RouteAdvert withdrawal = ControlCodec.decode(routesOut.readValue(), RouteAdvert.class);
        assertThat(withdrawal.active()).isFalse();
        assertThat(withdrawal.seq()).isGreaterThan(first.seq());
        assertThat(interestOut.readRecordsToList()).extracting(TestRecord::key)
                .containsExactly(InterestKey.subscription("edge-1", "b/+", "").encode(), InterestKey.lease("edge-1").encode());
    }

    @Test
    void forwardsOnlyToRegionsWithInterest() {
        remoteInterest(AP, "orders/ap/#", 1, true);

        publish(routed(event("e1", "orders/ap/checkout"), US, US, 16, null));
        publish(routed(event("e2", "orders/us/checkout"), US, US, 16, null));

        List<TestRecord<String, byte[]>> toAsia = toAp.readRecordsToList();
        assertThat(toAsia).hasSize(1);
        assertThat(header(toAsia.get(0), "ce_id")).isEqualTo("e1");
        assertThat(header(toAsia.get(0), "mesh_dest")).isEqualTo(AP);
        assertThat(header(toAsia.get(0), "mesh_path")).isEqualTo(US);
        assertThat(toEu.isEmpty()).isTrue();
    }

    @Test
    void writesOneCopyPerNextHopEvenForManyMatchingPatterns() {
        remoteInterest(AP, "orders/#", 1, true);
        remoteInterest(AP, "orders/+/checkout", 2, true);
        remoteInterest(EU, "orders/ap/checkout", 3, true);

        publish(event("e1", "orders/ap/checkout"));

        assertThat(toAp.readRecordsToList()).hasSize(1);
        assertThat(toEu.readRecordsToList()).singleElement()
                .satisfies(record -> assertThat(header(record, "mesh_dest")).isEqualTo(EU));
    }

    @Test
    void stopsForwardingOnceInterestIsWithdrawn() {
        remoteInterest(AP, "orders/ap/#", 1, true);
        remoteInterest(AP, "orders/ap/#", 2, false);
        remoteInterest(AP, "orders/ap/#", 1, true); // stale advert arriving late: ignored

        publish(event("e1", "orders/ap/checkout"));

        assertThat(toAp.isEmpty()).isTrue();
    }

    @Test
    void deliversArrivalsLocallyMarkedSoTheyAreNotForwardedAgain() {
        remoteInterest(AP, "orders/#", 1, true);

        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("e1", "orders/eu/x"), EU, EU + "," + US, 15, US), start));

        List<TestRecord<String, byte[]>> delivered = eventsOut.readRecordsToList();
        assertThat(delivered).singleElement().satisfies(record -> {
            assertThat(header(record, "mesh_arrived_from")).isEqualTo(EU);
            assertThat(header(record, "mesh_path")).isEqualTo(EU + "," + US);
            assertThat(header(record, "mesh_dest")).isNull();
        });
        events.pipeInput(delivered.get(0));
        assertThat(toAp.isEmpty()).isTrue();
    }

    @Test
    void forwardsTransitTrafficTowardsItsNextHop() {
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("e1", "x/y"), EU, EU + "," + US, 15, AP), start));

        assertThat(eventsOut.isEmpty()).isTrue();
        assertThat(toAp.readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(header(record, "mesh_dest")).isEqualTo(AP);
            assertThat(header(record, "mesh_path")).isEqualTo(EU + "," + US);
            assertThat(header(record, "mesh_hops")).isEqualTo("15");
        });
    }

    @Test
    void transitTrafficWhoseNextHopIsOnItsPathIsSpooledTowardsItsDestinationNotSentBack() {
        // This router sees its link to AP down and would send AP's traffic through EU, which the
        // event just came from (EU still routes it here): the loop guard would drop it there.
        routingTable.apply(new io.meshwork.core.interest.LinkState(US, 1, 0, java.util.Map.of(AP, false, EU, true)));

        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("bounce", "x/y"), EU, EU, 16, AP), start));

        assertThat(toEu.isEmpty()).isTrue();
        assertThat(toAp.readRecordsToList()).as("waits in the spool of its usual link").singleElement().satisfies(record -> {
            assertThat(header(record, "mesh_dest")).isEqualTo(AP);
            assertThat(header(record, "mesh_path")).isEqualTo(EU + "," + US);
        });
    }

    @Test
    void entersTheBrokerItselfWhenTheLinkDidNot() {
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("e1", "x/y"), EU, EU, 16, US), start));

        assertThat(eventsOut.readRecordsToList()).singleElement().satisfies(record -> {
            assertThat(header(record, "mesh_path")).isEqualTo(EU + "," + US);
            assertThat(header(record, "mesh_hops")).isEqualTo("15");
        });
    }

    @Test
    void dropsRoutingLoopsAndSpentHopBudgets() {
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("loop", "x/y"), AP, AP + "," + US + "," + EU + "," + US, 13, US), start));
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("loop2", "x/y"), AP, AP + "," + US + "," + EU, 13, US), start));
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("spent", "x/y"), AP, AP + "," + EU, 0, US), start));
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("spent-transit", "x/y"), EU, EU + "," + US, 0, AP), start));

        assertThat(eventsOut.isEmpty()).isTrue();
        assertThat(toAp.isEmpty()).isTrue();
        assertThat(toEu.isEmpty()).isTrue();
    }

    @Test
    void invalidEventsGoToTheDeadLetterTopicWithAReason() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", utf8("no-type"));
        events.pipeInput(new TestRecord<>("k", utf8("x"), headers, start));
        publish(event("ok", "still/works"));

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).singleElement().satisfies(record -> {
            assertThat(header(record, "mesh_dlq_field")).startsWith("ce_");
            assertThat(header(record, "mesh_dlq_reason")).contains("missing required attribute");
            assertThat(header(record, "ce_id")).isEqualTo("no-type");
        });
    }

    @Test
    void aBadRoutingHeaderSendsTheEventToTheDeadLetterTopicNamingTheHeader() {
        remoteInterest(AP, "orders/#", 1, true);

        publish(routed(event("bad-hops", "orders/ap/x"), US, US, 16, null));
        events.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("worse", "orders/ap/y"), US, US + ",,x", 16, null), start));
        RecordHeaders notANumber = (RecordHeaders) event("nan", "orders/ap/z");
        notANumber.add("mesh_origin", utf8(US)).add("mesh_path", utf8(US)).add("mesh_hops", utf8("sixteen"));
        events.pipeInput(new TestRecord<>("k", utf8("{}"), notANumber, start));

        assertThat(toAp.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("bad-hops");
        assertThat(dlq.readRecordsToList()).extracting(record -> header(record, "ce_id") + ":" + header(record, "mesh_dlq_field"))
                .containsExactly("worse:mesh_path", "nan:mesh_hops");
    }

    @Test
    void forwardsTheValueAndCloudEventsHeadersUntouched() {
        remoteInterest(AP, "orders/#", 1, true);
        byte[] value = {0, (byte) 0xff, 'n', 'o', 't', ' ', 'j', 's', 'o', 'n'};
        Headers headers = event("raw", "orders/ap/raw");
        headers.add("ce_time", utf8("2026-12-07T02:00:00.123456789+01:00"));
        headers.add("ce_customext", utf8("  kept as sent "));
        headers.add("content-type", utf8("application/octet-stream"));

        events.pipeInput(new TestRecord<>("k", value, headers, start));

        TestRecord<String, byte[]> forwarded = toAp.readRecord();
        assertThat(forwarded.value()).isEqualTo(value);
        for (var sent : headers) {
            assertThat(forwarded.headers().lastHeader(sent.key()).value()).as(sent.key()).isEqualTo(sent.value());
        }
        assertThat(header(forwarded, "mesh_path")).isEqualTo(US);
        assertThat(header(forwarded, "mesh_dest")).isEqualTo(AP);
    }

    @Test
    void floodsNewerNeighbourAdvertsButNotOwnOrStaleOnes() {
        RouteAdvert fresh = new RouteAdvert(AP, "a/#", "", 5, true, 0);
        RouteAdvert stale = new RouteAdvert(AP, "a/#", "", 4, false, 0);
        RouteAdvert own = new RouteAdvert(US, "b/#", "", 9, true, 0);

        euRoutes.pipeInput(fresh.key(), ControlCodec.encode(fresh));
        euRoutes.pipeInput(stale.key(), ControlCodec.encode(stale));
        euRoutes.pipeInput(own.key(), ControlCodec.encode(own));
        euRoutes.pipeInput(fresh.key(), ControlCodec.encode(fresh));

        List<TestRecord<String, byte[]>> out = routesOut.readRecordsToList();
        assertThat(out).extracting(TestRecord::key).containsExactly(fresh.key(), RouteAck.of(US, fresh).key());
        assertThat(ControlCodec.decode(out.get(0).value(), RouteAdvert.class)).isEqualTo(fresh);
        assertThat(ControlCodec.decode(out.get(1).value(), RouteAck.class)).isEqualTo(new RouteAck(US, fresh.key(), AP, 5, true));
    }

    @Test
    void floodsOtherRegionsAcknowledgementsBackTowardsTheOrigin() {
        RouteAdvert advert = new RouteAdvert(US, "a/#", "", 7, true, 0);
        RouteAck fromAsia = RouteAck.of(AP, advert);
        RouteAck own = RouteAck.of(US, new RouteAdvert(EU, "b/#", "", 3, true, 0));

        euRoutes.pipeInput(fromAsia.key(), ControlCodec.encode(fromAsia));
        euRoutes.pipeInput(fromAsia.key(), ControlCodec.encode(fromAsia));
        euRoutes.pipeInput(own.key(), ControlCodec.encode(own));

        assertThat(routesOut.readRecordsToList()).extracting(TestRecord::key).containsExactly(fromAsia.key());
    }

    // ---- the control protocol: version 1 records (the previous release) and unreadable ones

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

        publish(event("e1", "orders/ap/checkout"));

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

    @Test
    void acknowledgementsOnTheRouteTopicAreNotMistakenForInterest() {
        RouteAck ack = RouteAck.of(AP, new RouteAdvert(US, "#", "", 1, true, 0));
        routes.pipeInput(ack.key(), ControlCodec.encode(ack));

        publish(event("e1", "any/topic"));

        assertThat(toAp.isEmpty()).isTrue();
        assertThat(toEu.isEmpty()).isTrue();
    }

    @Test
    void dropsEventsNoRemoteSelectorAcceptsBeforeTheWan() {
        RouteAdvert advert = new RouteAdvert(AP, "orders/#", "amountCents > 10000", 1, true, start.toEpochMilli());
        routes.pipeInput(advert.key(), ControlCodec.encode(advert));
        Headers small = event("small", "orders/ap/checkout");
        small.add("content-type", utf8("application/json"));
        Headers large = event("large", "orders/ap/checkout");
        large.add("content-type", utf8("application/json"));

        events.pipeInput(new TestRecord<>("k", utf8("{\"amountCents\":4900}"), small, start));
        events.pipeInput(new TestRecord<>("k", utf8("{\"amountCents\":14900}"), large, start));

        assertThat(toAp.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("large");
    }

    @Test
    void dedupLedgerDropsAnEventArrivingTwiceWithinTheWindow() {
        TestInputTopic<String, byte[]> fromAp = driver.createInputTopic(MeshKafkaTopics.arrivals(AP, US), new StringSerializer(),
                new ByteArraySerializer());
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("twice", "x/y"), EU, EU + "," + US, 15, US), start));
        // The same event re-sent along another path (after a reroute) or retried by the link.
        fromAp.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("twice", "x/y"), EU, EU + "," + AP + "," + US, 14, US), start));
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("twice", "x/y"), EU, EU + "," + US, 15, US), start));

        assertThat(eventsOut.readRecordsToList()).hasSize(1);

        driver.advanceWallClockTime(RouterConfig.DEFAULT_DEDUP_WINDOW.plusMinutes(1));
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("twice", "x/y"), EU, EU + "," + US, 15, US), start));
        assertThat(eventsOut.readRecordsToList()).as("remembered for the window only").hasSize(1);
    }

    @Test
    void sameIdFromAnotherOriginIsADifferentEvent() {
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("shared-id", "x/y"), EU, EU + "," + US, 15, US), start));
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("shared-id", "x/y"), AP, AP + "," + EU + "," + US, 14, US), start));

        assertThat(eventsOut.readRecordsToList()).hasSize(2);
    }

    @Test
    void sendsItsLinkStateAsAHeartbeatAndMarksASilentNeighbourDown() {
        driver.advanceWallClockTime(Duration.ofMillis(500));
        var first = routesOut.readRecordsToList().stream().filter(r -> r.key().equals("ls|" + US)).toList();
        assertThat(first).isNotEmpty();
        assertThat(ControlCodec.decode(first.get(first.size() - 1).value(), io.meshwork.core.interest.LinkState.class).links())
                .containsEntry(EU, true).containsEntry(AP, true);

        // EU keeps sending heartbeats over its link; AP falls silent.
        for (int i = 0; i < 14; i++) {
            var heartbeat = new io.meshwork.core.interest.LinkState(EU, 100 + i, start.toEpochMilli(), java.util.Map.of(US, true));
            euRoutes.pipeInput(heartbeat.key(), ControlCodec.encode(heartbeat));
            driver.advanceWallClockTime(Duration.ofMillis(500));
        }

        var latest = routesOut.readRecordsToList().stream().filter(r -> r.key().equals("ls|" + US))
                .map(r -> ControlCodec.decode(r.value(), io.meshwork.core.interest.LinkState.class)).reduce((a, b) -> b).orElseThrow();
        assertThat(latest.links()).containsEntry(EU, true).containsEntry(AP, false);
    }

    @Test
    void beatsOfAnyNeighbourRouterInstanceKeepItsLinkUpWhileItsLinkStateIsSilentAndAreNeverFlooded() {
        driver.advanceWallClockTime(Duration.ofMillis(500));
        routesOut.readRecordsToList();

        // EU's link-state task is moving between its instances: only its instances' beats arrive, for 7 s.
        for (int i = 0; i < 14; i++) {
            var beat = new io.meshwork.core.interest.RouterBeat(EU, "eu-router-" + (i % 2), start.toEpochMilli() + i);
            euRoutes.pipeInput(beat.key(), ControlCodec.encode(beat));
            driver.advanceWallClockTime(Duration.ofMillis(500));
        }

        var out = routesOut.readRecordsToList();
        assertThat(out).as("a beat means something one hop only").noneMatch(r -> r.key().startsWith("beat|"));
        var latest = out.stream().filter(r -> r.key().equals("ls|" + US))
                .map(r -> ControlCodec.decode(r.value(), io.meshwork.core.interest.LinkState.class)).reduce((a, b) -> b).orElseThrow();
        assertThat(latest.links()).containsEntry(EU, true).containsEntry(AP, false);
        var relayed = new io.meshwork.core.interest.RouterBeat(EU, "eu-router-0", start.toEpochMilli());
        routes.pipeInput(relayed.key(), ControlCodec.encode(relayed)); // as a region's own beats sit on its mesh.routes
        assertThat(routingTable.stateOf(EU)).as("a beat is not a link state").isEmpty();
    }

    @Test
    void reroutesAroundADownLinkAndSpoolsWhenNoPathIsLeft() {
        remoteInterest(AP, "orders/#", 1, true);

        routingTable.apply(new io.meshwork.core.interest.LinkState(US, 1, 0, java.util.Map.of(AP, false, EU, true)));
        publish(event("detour", "orders/x"));
        assertThat(toEu.readRecordsToList()).singleElement()
                .satisfies(record -> assertThat(header(record, "mesh_dest")).isEqualTo(AP));
        assertThat(toAp.isEmpty()).isTrue();

        routingTable.apply(new io.meshwork.core.interest.LinkState(AP, 1, 0, java.util.Map.of(US, false, EU, false)));
        publish(event("spooled", "orders/x"));
        assertThat(toAp.readRecordsToList()).as("waits in the spool of its usual link")
                .extracting(record -> header(record, "ce_id")).containsExactly("spooled");
    }

    private TestRecord<String, byte[]> numbered(String id, String key, String path, String destinations, long number, long spoolOffset) {
        Headers headers = routed(event(id, "orders/x"), EU, path, 15, destinations);
        headers.add("mesh_seq", utf8(US + "=" + number));
        headers.add("mesh_link_offset", utf8(Long.toString(spoolOffset)));
        return new TestRecord<>(key, utf8("{}"), headers, start);
    }

    @Test
    void numbersEachDestinationsStreamPerLinkPartitionWithoutGaps() {
        remoteInterest(AP, "orders/#", 1, true);
        remoteInterest(EU, "orders/eu/#", 1, true);

        publish(event("a", "orders/x"));
        publish(event("b", "orders/eu/y"));
        publish(event("c", "orders/x"));

        // One number per destination; each copy carries those of every destination of the event.
        assertThat(toAp.readRecordsToList()).extracting(record -> header(record, "mesh_seq"))
                .containsExactly(AP + "=1", AP + "=2," + EU + "=1", AP + "=3");
        assertThat(toEu.readRecordsToList()).extracting(record -> header(record, "mesh_seq")).containsExactly(AP + "=2," + EU + "=1");
    }

    @Test
    void keylessEventsAreKeyedByTheirMeshTopicSoTheirLinkPartitionIsKnown() {
        remoteInterest(AP, "orders/#", 1, true);

        events.pipeInput(new TestRecord<>(null, utf8("{}"), event("keyless", "orders/x"), start));

        assertThat(toAp.readRecordsToList()).singleElement().satisfies(record -> assertThat(record.key()).isEqualTo("orders/x"));
    }

    @Test
    void deliversArrivalsInTheOriginsOrderWhateverPathTheyTook() {
        // 2 and 3 came through a detour before 1, which waited in a cut link's spool.
        fromEu.pipeInput(numbered("n1", "k", EU + "," + US, US, 1, 10));
        fromEu.pipeInput(numbered("n3", "k", EU + "," + US, US, 3, 12));
        fromEu.pipeInput(numbered("n4", "k", EU + "," + US, US, 4, 13));
        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("n1");

        fromEu.pipeInput(numbered("n2", "k", EU + "," + US, US, 2, 11));

        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("n2", "n3", "n4");
    }

    @Test
    void aDuplicateStillLetsItsNumberPassSoTheNextEventDoesNotWait() {
        fromEu.pipeInput(numbered("first", "k", EU + "," + US, US, 1, 10));
        // A publisher retried "first" as a new event (number 2): the ledger drops it as a duplicate.
        fromEu.pipeInput(numbered("third", "k", EU + "," + US, US, 3, 12));
        fromEu.pipeInput(numbered("first", "k", EU + "," + US, US, 2, 11));

        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("first", "third");
    }

    @Test
    void anArrivalWaitsAtMostTheOrderHoldForAMissingPredecessor() {
        fromEu.pipeInput(numbered("n1", "k", EU + "," + US, US, 1, 10));
        fromEu.pipeInput(numbered("n5", "k", EU + "," + US, US, 5, 14));
        driver.advanceWallClockTime(RouterConfig.DEFAULT_ORDER_HOLD.minusSeconds(2));
        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("n1");

        driver.advanceWallClockTime(Duration.ofSeconds(3));

        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("n5");
        fromEu.pipeInput(numbered("n6", "k", EU + "," + US, US, 6, 15));
        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("n6");
    }

    @Test
    void transitCopiesAreForwardedEvenWhenThisRegionAlreadyHadTheEvent() {
        fromEu.pipeInput(numbered("both", "k", EU + "," + US, US, 1, 10));
        // The same event again, now re-sent towards ap-southeast-1 through here (a rescued spool).
        fromEu.pipeInput(new TestRecord<>("k", utf8("{}"), routed(event("both", "orders/x"), EU, EU + "," + US, 15, AP), start));

        assertThat(eventsOut.readRecordsToList()).hasSize(1);
        assertThat(toAp.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("both");
    }

    @Test
    void heartbeatCarriesMeasuredRttsAndHowFarEachNeighboursSpoolWasProcessed() {
        fromEu.pipeInput(numbered("p", "k", EU + "," + US, US, 1, 41));
        // The arrival task keeps its progress in a store; every instance mirrors the store's
        // changelog (ArrivalProgressFeed, not part of the topology), as done here by hand.
        var stored = driver.<String, Long>getKeyValueStore(ArrivalProgress.STORE);
        try (var all = stored.all()) {
            all.forEachRemaining(entry -> progress.apply(entry.key, entry.value));
        }
        assertThat(progress.snapshot().get(EU)).containsValue(41L);
        var heartbeat = new io.meshwork.core.interest.LinkState(EU, 100, start.toEpochMilli(), java.util.Map.of(US, true));
        RecordHeaders measured = new RecordHeaders();
        measured.add("mesh_link_rtt_ms", utf8("72"));
        euRoutes.pipeInput(new TestRecord<>(heartbeat.key(), ControlCodec.encode(heartbeat), measured, start));

        driver.advanceWallClockTime(Duration.ofMillis(500));

        var own = routesOut.readRecordsToList().stream().filter(r -> r.key().equals("ls|" + US))
                .map(r -> ControlCodec.decode(r.value(), io.meshwork.core.interest.LinkState.class)).reduce((a, b) -> b).orElseThrow();
        assertThat(own.rttTo(EU)).hasValue(72);
        assertThat(own.receivedFrom(EU)).containsValue(41L);
    }

    @Test
    void floodedRecordsNameTheNeighbourTheyCameFromForSplitHorizon() {
        var apState = new io.meshwork.core.interest.LinkState(AP, 7, start.toEpochMilli(), java.util.Map.of(EU, true));
        euRoutes.pipeInput(apState.key(), ControlCodec.encode(apState));

        assertThat(routesOut.readRecordsToList()).filteredOn(r -> r.key().equals(apState.key())).singleElement()
                .satisfies(record -> assertThat(header(record, "mesh_learned_from")).isEqualTo(EU));
    }

    @Test
    void aRouterThatWasStalledDoesNotJudgeItsLinksOnTheSilenceItCausedItself() {
        driver.advanceWallClockTime(Duration.ofMillis(500));
        routesOut.readRecordsToList();

        driver.advanceWallClockTime(Duration.ofSeconds(6)); // one late round: a GC pause, an overloaded host

        var afterStall = routesOut.readRecordsToList().stream().filter(r -> r.key().equals("ls|" + US))
                .map(r -> ControlCodec.decode(r.value(), io.meshwork.core.interest.LinkState.class)).reduce((a, b) -> b).orElseThrow();
        assertThat(afterStall.links()).containsEntry(EU, true).containsEntry(AP, true);
        for (int i = 0; i < 8; i++) {
            driver.advanceWallClockTime(Duration.ofMillis(500));
        }
        var later = routesOut.readRecordsToList().stream().filter(r -> r.key().equals("ls|" + US))
                .map(r -> ControlCodec.decode(r.value(), io.meshwork.core.interest.LinkState.class)).reduce((a, b) -> b).orElseThrow();
        assertThat(later.links()).as("still silent on time: down").containsEntry(AP, false);
    }

    @Test
    void theFirstArrivalOfAStreamWaitsForNumberOneIfItOvertookIt() {
        fromEu.pipeInput(numbered("second", "k", EU + "," + US, US, 2, 11));
        assertThat(eventsOut.readRecordsToList()).isEmpty();

        fromEu.pipeInput(numbered("first", "k", EU + "," + US, US, 1, 10));

        assertThat(eventsOut.readRecordsToList()).extracting(record -> header(record, "ce_id")).containsExactly("first", "second");
    }
}
