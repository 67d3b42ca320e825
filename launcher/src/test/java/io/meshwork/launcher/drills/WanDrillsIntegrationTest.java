package io.meshwork.launcher.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.LinkState;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.StreamClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAN drills of the survival issue, on three real clusters, the (default) push links and the WAN
 * emulator. Each publishes a numbered stream (200 events/s over 8 keys) in one region with
 * subscribers in the others, breaks something, and then checks every subscriber got every event
 * exactly once, in order per key.
 */
@Tag("integration")
@Timeout(600)
class WanDrillsIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(WanDrillsIntegrationTest.class);
    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final int RATE = 200;
    private static final int KEYS = 8;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(90);

    @RegisterExtension
    static final DrillMesh drills = new DrillMesh();

    @Test
    void cutUsApUnderLoadReroutesThroughEuAndLosesNothing() throws Exception {
        String prefix = DrillMesh.unique("drill", "cut");
        try (StreamClient asia = drills.subscriber(AP, prefix); StreamClient europe = drills.subscriber(EU, prefix);
             NumberedStream stream = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), prefix, KEYS, RATE)) {
            awaitSome(asia, prefix);
            long cut = System.nanoTime();
            drills.mesh().wan().cut(US, AP);
            long rerouted;
            try {
                await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> drills.mesh().router(US).nextHop(AP).equals(Optional.of(EU)));
                rerouted = millisSince(cut);
                int atReroute = Deliveries.of(asia.events(), prefix).total();
                // The rescued spool and new events flow through eu-west-1 during the outage.
                await().atMost(OUTAGE).pollInterval(Duration.ofMillis(200))
                        .until(() -> Deliveries.of(asia.events(), prefix).total() > atReroute + RATE);
                await().pollDelay(remaining(cut, OUTAGE)).atMost(OUTAGE).until(() -> true);
            } finally {
                drills.mesh().wan().heal(US, AP);
            }
            long healed = System.nanoTime();
            int published = stream.stop();
            Duration caughtUp = awaitAll(List.of(asia, europe), prefix, published, stream.keys());
            // Back up is what the heal promises; whether traffic then goes direct depends on the
            // RTT the link measures, which a busy host inflates (see RoutingTable).
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> drills.mesh().router(US).linkUp(AP));
            long direct = millisSince(healed);
            await().atMost(Duration.ofSeconds(30)).until(() -> drills.mesh().router(US).spoolLag(AP) == 0);
            LOG.info("DRILL cut us-east-1<->ap-southeast-1 {} s under {} ev/s: rerouted via eu-west-1 after {} ms; {} events, "
                            + "all delivered {} ms after the heal; link up again {} ms after the heal (next hop {}); {} re-sent from the spool",
                    OUTAGE.toSeconds(), RATE, rerouted, published, caughtUp.toMillis(), direct, drills.mesh().router(US).nextHop(AP).orElse("none"),
                    rescued(US, AP));
            assertThat(rerouted).isLessThanOrEqualTo(5_000);
            assertThat(rescued(US, AP)).as("events waiting in the cut link's spool re-sent along the new path").isPositive();
        }
    }

    @Test
    void isolatedRegionGetsEverythingAfterTheHeal() throws Exception {
        String prefix = DrillMesh.unique("drill", "isolate");
        try (StreamClient asia = drills.subscriber(AP, prefix); StreamClient europe = drills.subscriber(EU, prefix);
             NumberedStream stream = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), prefix, KEYS, RATE)) {
            awaitSome(asia, prefix);
            long isolated = System.nanoTime();
            drills.mesh().wan().cut(US, AP);
            drills.mesh().wan().cut(EU, AP);
            long lagDuringOutage;
            try {
                // Both ends of both links must notice: us-east-1 learns of eu-west-1's side by flooding.
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                        .until(() -> drills.mesh().router(US).nextHop(AP).isEmpty());
                await().atMost(OUTAGE).pollInterval(Duration.ofMillis(200)).until(() -> drills.mesh().router(US).spoolLag(AP) > RATE);
                await().pollDelay(remaining(isolated, OUTAGE)).atMost(OUTAGE).until(() -> true);
                lagDuringOutage = drills.mesh().router(US).spoolLag(AP);
            } finally {
                drills.mesh().wan().heal(US, AP);
                drills.mesh().wan().heal(EU, AP);
            }
            int published = stream.stop();
            Duration drained = awaitAll(List.of(asia, europe), prefix, published, stream.keys());
            await().atMost(Duration.ofSeconds(30)).until(() -> drills.mesh().router(US).spoolLag(AP) == 0);
            LOG.info("DRILL isolate ap-southeast-1 {} s under {} ev/s: spool us-east-1->ap-southeast-1 {} offsets behind (events and transaction markers) at the heal; "
                    + "{} events, all delivered {} ms after the heal", OUTAGE.toSeconds(), RATE, lagDuringOutage, published, drained.toMillis());
            assertThat(lagDuringOutage).isGreaterThan(RATE);
        }
    }

    @Test
    void routerKilledMidStreamRestartsAndLosesNothing() throws Exception {
        String prefix = DrillMesh.unique("drill", "kill");
        Path stateDir = drills.stateDir();
        drills.mesh().stopRouter(US);
        Process router = drills.routerProcess(US, stateDir);
        boolean restarted = false;
        try (StreamClient asia = drills.subscriber(AP, prefix); StreamClient europe = drills.subscriber(EU, prefix);
             NumberedStream stream = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), prefix, KEYS, RATE)) {
            awaitSome(asia, prefix);
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
            router.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9: no commit, no leaving the group
            long killed = System.nanoTime();
            int atKill = Deliveries.of(asia.events(), prefix).total();
            drills.mesh().startRouter(US, stateDir);
            restarted = true;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Deliveries.of(asia.events(), prefix).total() > atKill + RATE);
            long recovered = millisSince(killed);
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
            int published = stream.stop();
            Duration caughtUp = awaitAll(List.of(asia, europe), prefix, published, stream.keys());
            LOG.info("DRILL kill -9 the us-east-1 router under {} ev/s: flowing again {} ms after the kill (restart on its state "
                    + "directory); {} events, all delivered {} ms after publishing stopped", RATE, recovered, published, caughtUp.toMillis());
        } finally {
            router.destroyForcibly();
            if (!restarted) {
                drills.mesh().startRouter(US, stateDir);
            }
        }
    }

    @Test
    void linkFlappingTenTimesInTwentySecondsLosesAndDuplicatesNothing() throws Exception {
        String prefix = DrillMesh.unique("drill", "flap");
        try (StreamClient asia = drills.subscriber(AP, prefix); StreamClient europe = drills.subscriber(EU, prefix);
             NumberedStream stream = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), prefix, KEYS, RATE)) {
            awaitSome(asia, prefix);
            HttpResponse<String> flap = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(drills.mesh().controlPlaneUrl() + "/v1/admin/links/" + US + "/" + AP + "/flap?times=10&periodMs=2000"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(flap.statusCode()).as(flap.body()).isEqualTo(202);
            long started = System.nanoTime();
            await().pollDelay(Duration.ofSeconds(22)).atMost(Duration.ofSeconds(30)).until(() -> true);
            int published = stream.stop();
            Duration caughtUp = awaitAll(List.of(asia, europe), prefix, published, stream.keys());
            // Whether traffic then goes direct again depends on what the link measures after all
            // that reconnecting (see RoutingTable); that the link is back up does not.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> drills.mesh().router(US).linkUp(AP));
            LOG.info("DRILL flap us-east-1<->ap-southeast-1 10x in 20 s under {} ev/s: {} events, all delivered {} ms after publishing "
                            + "stopped; link up again {} ms after the flapping started, next hop {} (link cost {})", RATE, published,
                    caughtUp.toMillis(), millisSince(started), drills.mesh().router(US).nextHop(AP).orElse("none"), drills.mesh().router(US).linkCost(AP));
        }
    }

    @Test
    void staleLinkStateAndLoopingRecordsInTheRingChangeNothing() throws Exception {
        String prefix = DrillMesh.unique("drill", "ring");
        double loopsBefore = counter("mesh.routing.loops", AP);
        double hopLimitBefore = counter("mesh.routing.hop.limit", AP);
        try (StreamClient asia = drills.subscriber(AP, prefix); StreamClient europe = drills.subscriber(EU, prefix);
             NumberedStream stream = NumberedStream.start(drills.mesh().region(US).bootstrapServers(), prefix, KEYS, RATE);
             KafkaProducer<String, byte[]> usCluster = producer(US); KafkaProducer<String, byte[]> apCluster = producer(AP)) {
            awaitSome(asia, prefix);
            // A stale record (sequence 1) in which ap-southeast-1 hears no one: were it applied,
            // us-east-1 and eu-west-1 would stop routing to ap-southeast-1 altogether.
            LinkState stale = new LinkState(AP, 1, 0, Map.of(US, false, EU, false));
            usCluster.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, stale.key(), ControlCodec.encode(stale))).get();
            apCluster.send(new ProducerRecord<>(MeshKafkaTopics.ROUTES, stale.key(), ControlCodec.encode(stale))).get();
            // Records that looped (ap-southeast-1 already on the path) or spent their hop budget,
            // written where the link delivers, past the link's own guards.
            String looped = prefix + "-looped-" + UUID.randomUUID();
            String spent = prefix + "-spent-" + UUID.randomUUID();
            apCluster.send(linkArrival(looped, prefix + "/0", US + "," + AP + "," + EU + "," + AP, "13")).get();
            apCluster.send(linkArrival(spent, prefix + "/0", US + "," + EU, "0")).get();
            await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
            for (String router : List.of(US, EU)) {
                assertThat(drills.mesh().router(router).linkStateOf(AP)).as("%s keeps ap-southeast-1's newest link state", router)
                        .hasValueSatisfying(state -> assertThat(state.seq()).isGreaterThan(stale.seq()));
            }
            int published = stream.stop();
            awaitAll(List.of(asia, europe), prefix, published, stream.keys());
            await().atMost(Duration.ofSeconds(10)).until(() -> counter("mesh.routing.loops", AP) > loopsBefore
                    && counter("mesh.routing.hop.limit", AP) > hopLimitBefore);
            assertThat(asia.events()).extracting(e -> e.getEventId()).doesNotContain(looped, spent);
            LOG.info("DRILL ring with a stale link state and injected loops under {} ev/s: {} events delivered once each, in order; "
                    + "loop and hop-limit drops counted", RATE, published);
        }
    }

    @Test
    void linkSpoolsAreZstdCompressedOnDiskAndOnTheWire() throws Exception {
        String prefix = DrillMesh.unique("drill", "zstd");
        try (StreamClient asia = drills.subscriber(AP, prefix); KafkaProducer<String, byte[]> usCluster = producer(US)) {
            // Summed over every spool of us-east-1: a busy host may route around a link meanwhile.
            long diskBefore = spoolBytesOnDisk(US);
            double rawBefore = linkBytes(US);
            int events = 2_000;
            for (int i = 0; i < events; i++) {
                // A typical order event: ~500 bytes of JSON whose field names repeat from event to event.
                String payload = "{\"key\":0,\"n\":" + i + ",\"orderId\":\"ord-" + UUID.randomUUID() + "\",\"customer\":{\"id\":\"cust-"
                        + (i % 97) + "\",\"tier\":\"gold\",\"country\":\"SG\"},\"lines\":[{\"sku\":\"SKU-" + (i % 13)
                        + "\",\"qty\":2,\"priceCents\":1999},{\"sku\":\"SKU-" + (i % 7) + "\",\"qty\":1,\"priceCents\":4999}],"
                        + "\"currency\":\"SGD\",\"channel\":\"mobile\",\"placedAt\":\"2026-11-29T12:00:00Z\",\"notes\":\"leave at the door\"}";
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshKafkaTopics.EVENTS, prefix + "-0",
                        payload.getBytes(StandardCharsets.UTF_8));
                for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", prefix + "-" + i}, {"ce_source", "/drills"},
                        {"ce_type", "order.placed"}, {"ce_meshtopic", prefix + "/0"}, {"content-type", "application/json"}}) {
                    record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
                }
                usCluster.send(record);
            }
            usCluster.flush();
            awaitAll(List.of(asia), prefix, events, 1);
            double raw = linkBytes(US) - rawBefore;
            long disk = spoolBytesOnDisk(US) - diskBefore;
            LOG.info("DRILL zstd on the links of us-east-1: {} events, {} bytes of events (key, value, headers), {} bytes "
                    + "in the spool's batches on disk and on the wire: {}% saved", events, (long) raw, disk, Math.round(100 * (1 - disk / raw)));
            assertThat(disk).isPositive().isLessThan((long) (raw * 0.5));
        }
    }

    /** Bytes of the spool's log segments: the compressed batches exactly as a fetch across the link carries them. */
    private static long spoolBytesOnDisk(String from) throws Exception {
        var admin = drills.mesh().cluster(from).admin();
        var brokers = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream().map(n -> n.id()).toList();
        return admin.describeLogDirs(brokers).allDescriptions().get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(dirs -> dirs.values().stream()).flatMap(dir -> dir.replicaInfos().entrySet().stream())
                .filter(replica -> replica.getKey().topic().startsWith(MeshKafkaTopics.LINK_PREFIX))
                .mapToLong(replica -> replica.getValue().size()).sum();
    }

    private static double linkBytes(String from) {
        return MeshMetrics.registry().find("mesh.link.bytes").tag("from", from).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static void awaitSome(StreamClient client, String prefix) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Deliveries.of(client.events(), prefix).total() >= RATE);
    }

    /** Waits until every subscriber has every event, then checks each got them once and in order; returns the wait. */
    private static Duration awaitAll(List<StreamClient> subscribers, String prefix, int published, int keys) {
        return Deliveries.awaitEveryEventOnceInOrder(subscribers, prefix, published, keys, DELIVERED_WITHIN);
    }

    private static KafkaProducer<String, byte[]> producer(String region) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, drills.mesh().region(region).bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> linkArrival(String id, String topic, String path, String hops) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(MeshKafkaTopics.arrivals(EU, AP), topic,
                "{}".getBytes(StandardCharsets.UTF_8));
        for (String[] header : new String[][] {{"ce_specversion", "1.0"}, {"ce_id", id}, {"ce_source", "/drills"},
                {"ce_type", "drill.injected"}, {"ce_meshtopic", topic}, {"content-type", "application/json"},
                {"mesh_origin", US}, {"mesh_path", path}, {"mesh_hops", hops}, {"mesh_dest", AP}}) {
            record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static double counter(String name, String region) {
        return MeshMetrics.registry().find(name).tag("region", region).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double rescued(String from, String to) {
        return MeshMetrics.registry().find("mesh.link.rescued").tag("from", from).tag("to", to).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private static Duration remaining(long startedNanos, Duration total) {
        Duration left = total.minus(Duration.ofNanos(System.nanoTime() - startedNanos));
        return left.isNegative() ? Duration.ZERO : left;
    }
}
