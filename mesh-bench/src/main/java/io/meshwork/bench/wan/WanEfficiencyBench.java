package io.meshwork.bench.wan;

import static org.awaitility.Awaitility.await;

import static io.meshwork.bench.harness.BenchMesh.AP;
import static io.meshwork.bench.harness.BenchMesh.EU;
import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.WsSubscriber;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Item 5: us-east-1 publishes events over ten topics; ap-southeast-1 subscribes to two of them
 * (20 % remote interest), eu-west-1 to none. Measured per link: event bytes the router wrote
 * ({@code mesh_link_bytes_total}), the spool's compressed bytes on disk (what a fetch carries),
 * and bytes through the WAN emulator (both directions, control traffic included, minus the idle
 * rate measured just before). Baseline: the same records mirrored by a default MirrorMaker 2 to
 * ap-southeast-1 (broadcast: every region would get all of them).
 */
public final class WanEfficiencyBench {

    private static final int TOPICS = 10;
    private static final int WANTED_TOPICS = 2;
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(3);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(120);

    private WanEfficiencyBench() {
    }

    public static List<Row> run(BenchMesh mesh, int events) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "bench/wan/" + run;
        AtomicLong delivered = new AtomicLong();
        try (WsSubscriber asia = WsSubscriber.connect(mesh.mesh().region(AP).streamUrl(), (t, p, r) -> delivered.incrementAndGet())) {
            for (int k = 0; k < WANTED_TOPICS; k++) {
                asia.subscribe(prefix + "/" + k + "/#", "MESH_ACTIVE", Duration.ofSeconds(30));
            }
            double idleApPerSec = idleRate(mesh, AP);
            double idleEuPerSec = idleRate(mesh, EU);

            LinkBytes apBefore = LinkBytes.of(mesh, US, AP);
            LinkBytes euBefore = LinkBytes.of(mesh, US, EU);
            long started = System.nanoTime();
            long published = 0;
            try (KafkaProducer<String, byte[]> us = mesh.producer(US)) {
                for (int i = 0; i < events; i++) {
                    ProducerRecord<String, byte[]> record = BenchMesh.event(prefix + "/" + (i % TOPICS) + "/order", run + "-" + i, orderPayload(i));
                    published += BenchMesh.recordBytes(record);
                    us.send(record);
                }
                us.flush();
            }
            long wanted = (long) events * WANTED_TOPICS / TOPICS;
            awaitCount(delivered::get, wanted, "mesh deliveries in " + AP);
            double seconds = (System.nanoTime() - started) / 1e9;
            LinkBytes ap = LinkBytes.of(mesh, US, AP).minus(apBefore);
            LinkBytes eu = LinkBytes.of(mesh, US, EU).minus(euBefore);
            double apWire = ap.wireBytes() - idleApPerSec * seconds;
            double euWire = eu.wireBytes() - idleEuPerSec * seconds;

            Broadcast broadcast = broadcast(mesh, run, events, idleApPerSec);

            List<Row> rows = new ArrayList<>();
            String n = String.format(Locale.ROOT, " (%d events, %d%% wanted in ap-southeast-1)", events, 100 * WANTED_TOPICS / TOPICS);
            rows.add(new Row("bytes published in us-east-1 (key, value, headers)" + n, ResultTable.bytes(published), "-", "-", "-", "-"));
            rows.add(new Row("event bytes us-east-1 -> eu-west-1 (no interest)", ResultTable.bytes(eu.eventBytes()),
                    "MM2 broadcast: " + ResultTable.bytes(broadcast.wireBytes()), "-", "0 B", ResultTable.met(eu.eventBytes() == 0)));
            rows.add(new Row("WAN bytes us-east-1 <-> eu-west-1, beyond idle control traffic", ResultTable.bytes(euWire),
                    "MM2 broadcast: " + ResultTable.bytes(broadcast.wireBytes()), ResultTable.ratio(euWire, broadcast.wireBytes()), "-", "-"));
            rows.add(new Row("event bytes us-east-1 -> ap-southeast-1 (uncompressed)", ResultTable.bytes(ap.eventBytes()),
                    "published: " + ResultTable.bytes(published), ResultTable.ratio(ap.eventBytes(), published), "-", "-"));
            rows.add(new Row("spool bytes on disk us-east-1 -> ap-southeast-1 (zstd batches)", ResultTable.bytes(ap.spoolBytesOnDisk()),
                    "published: " + ResultTable.bytes(published), ResultTable.ratio(ap.spoolBytesOnDisk(), published), "< 0.2x published",
                    ResultTable.met(ap.spoolBytesOnDisk() < 0.2 * published)));
            rows.add(new Row("WAN bytes us-east-1 <-> ap-southeast-1, beyond idle control traffic", ResultTable.bytes(apWire),
                    "MM2 broadcast: " + ResultTable.bytes(broadcast.wireBytes()), ResultTable.ratio(apWire, broadcast.wireBytes()),
                    "< 0.2x published", ResultTable.met(apWire < 0.2 * published)));
            rows.add(new Row("MM2 broadcast: bytes on disk in ap-southeast-1 (default MM2, no compression)",
                    ResultTable.bytes(broadcast.mirroredOnDisk()), "published: " + ResultTable.bytes(published),
                    ResultTable.ratio(broadcast.mirroredOnDisk(), published), "-", "-"));
            return rows;
        }
    }

    record Broadcast(double wireBytes, long mirroredOnDisk) {
    }

    /** The same records, on a topic of their own, mirrored by a default MirrorMaker 2 into ap-southeast-1. */
    private static Broadcast broadcast(BenchMesh mesh, String run, int events, double idlePerSec) throws Exception {
        String topic = "bench.wan.mm2." + run;
        mesh.mesh().cluster(US).createTopic(topic, 3, Map.of());
        String mirrored = DefaultMirrorHop.mirrored(topic);
        try (DefaultMirrorHop hop = DefaultMirrorHop.start(mesh, US, AP, topic)) {
            hop.awaitMirrored(mesh, AP, mirrored);
            long wireBefore = LinkBytes.of(mesh, US, AP).wireBytes();
            long started = System.nanoTime();
            try (KafkaProducer<String, byte[]> us = mesh.producer(US)) {
                for (int i = 0; i < events; i++) {
                    ProducerRecord<String, byte[]> event = BenchMesh.event("bench/wan/" + run + "/" + (i % TOPICS) + "/order", run + "-" + i,
                            orderPayload(i));
                    us.send(new ProducerRecord<>(topic, null, event.key(), event.value(), event.headers()));
                }
                us.flush();
            }
            awaitCount(() -> endOffsets(mesh, AP, mirrored), events, "records mirrored into " + AP);
            double seconds = (System.nanoTime() - started) / 1e9;
            double wire = LinkBytes.of(mesh, US, AP).wireBytes() - wireBefore - idlePerSec * seconds;
            return new Broadcast(wire, LinkBytes.bytesOnDisk(mesh, AP, mirrored));
        }
    }

    /** Bytes per second crossing the pair's links with no events: heartbeats, adverts, RTT probes, idle fetches. */
    private static double idleRate(BenchMesh mesh, String to) throws Exception {
        LinkBytes before = LinkBytes.of(mesh, US, to);
        long started = System.nanoTime();
        Thread.sleep(IDLE_WINDOW.toMillis()); // a measurement window, not a wait for a condition
        return LinkBytes.of(mesh, US, to).minus(before).wireBytes() / ((System.nanoTime() - started) / 1e9);
    }

    private static long endOffsets(BenchMesh mesh, String region, String topic) {
        try {
            var admin = mesh.mesh().cluster(region).admin();
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static void awaitCount(java.util.function.LongSupplier count, long wanted, String what) {
        await(what + ": " + wanted + " expected").atMost(DELIVERY_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> count.getAsLong() >= wanted);
    }

    /** A typical ~500-byte order event whose field names repeat from event to event (as the WAN drill's). */
    static byte[] orderPayload(int i) {
        String payload = "{\"n\":" + i + ",\"orderId\":\"ord-" + UUID.randomUUID() + "\",\"customer\":{\"id\":\"cust-"
                + (i % 97) + "\",\"tier\":\"gold\",\"country\":\"SG\"},\"lines\":[{\"sku\":\"SKU-" + (i % 13)
                + "\",\"qty\":2,\"priceCents\":1999},{\"sku\":\"SKU-" + (i % 7) + "\",\"qty\":1,\"priceCents\":4999}],"
                + "\"currency\":\"SGD\",\"channel\":\"mobile\",\"placedAt\":\"2026-11-29T12:00:00Z\",\"notes\":\"leave at the door\","
                + "\"shipping\":{\"method\":\"express\",\"address\":{\"line1\":\"1 Raffles Place\",\"city\":\"Singapore\",\"postcode\":\"048616\"}}}";
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}
