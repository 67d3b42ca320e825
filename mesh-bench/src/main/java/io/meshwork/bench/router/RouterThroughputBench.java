package io.meshwork.bench.router;

import static org.awaitility.Awaitility.await;

import static io.meshwork.bench.harness.BenchMesh.AP;
import static io.meshwork.bench.harness.BenchMesh.US;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.ResultTable;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.bench.harness.WsSubscriber;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.TempDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;

/**
 * Item 4: how fast us-east-1's router drains a backlog of {@code mesh.events} of which 20 % is
 * wanted in ap-southeast-1. The router is stopped, the backlog written, the router started again
 * (on a fresh state directory) and timed from the moment it runs until its committed offsets reach
 * the backlog's end. Baseline, over the very same records: a plain consume → filter → produce loop
 * (no transactions, no state), {@link PlainLoop}.
 */
public final class RouterThroughputBench {

    private static final int TOPICS = 10;
    private static final int WANTED_TOPICS = 2;
    private static final double TARGET_SHARE = 0.8;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(300);

    private RouterThroughputBench() {
    }

    public static List<Row> run(BenchMesh mesh, int events) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "bench/router/" + run;
        List<String> wanted = new ArrayList<>();
        try (WsSubscriber asia = WsSubscriber.connect(mesh.mesh().region(AP).streamUrl(), (t, p, r) -> { })) {
            for (int k = 0; k < WANTED_TOPICS; k++) {
                asia.subscribe(prefix + "/" + k + "/#", "MESH_ACTIVE", Duration.ofSeconds(30));
                wanted.add(prefix + "/" + k + "/");
            }
            Admin admin = mesh.mesh().cluster(US).admin();
            mesh.mesh().stopRouter(US);
            Map<TopicPartition, Long> start = endOffsets(admin);
            byte[] payload = new byte[500];
            java.util.Arrays.fill(payload, (byte) 'x');
            try (KafkaProducer<String, byte[]> us = mesh.producer(US)) {
                for (int i = 0; i < events; i++) {
                    us.send(BenchMesh.event(prefix + "/" + (i % TOPICS) + "/order", run + "-" + i, payload));
                }
                us.flush();
            }
            Map<TopicPartition, Long> end = endOffsets(admin);
            long backlog = total(end) - total(start);

            Path stateDir = Files.createTempDirectory("meshwork-bench-router-");
            double routerRate;
            long routerEvents;
            try {
                mesh.mesh().startRouter(US, stateDir);
                long running = System.nanoTime();
                long committedAtStart = total(committed(admin, "meshwork-router-" + US, start));
                await("router draining " + backlog + " events").atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofMillis(20))
                        .until(() -> total(committed(admin, "meshwork-router-" + US, start)) >= total(end));
                routerEvents = total(end) - committedAtStart;
                routerRate = routerEvents * 1e9 / (System.nanoTime() - running);
            } finally {
                // The router keeps running on it until the mesh closes; remove it when the JVM exits.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> TempDirs.deleteRecursively(stateDir), "bench-router-state-cleanup"));
            }

            String plainOut = "bench.router.plain." + run;
            mesh.mesh().cluster(US).createTopic(plainOut, 3, Map.of());
            PlainLoop.Result plain = PlainLoop.run(mesh.mesh().region(US).bootstrapServers(), start, end, plainOut, record -> isWanted(record, wanted));
            double plainRate = plain.records() * 1e9 / plain.nanos();

            String n = String.format(Locale.ROOT, " (backlog of %d events, 500-byte payloads, %d%% wanted in ap-southeast-1)", backlog,
                    100 * WANTED_TOPICS / TOPICS);
            return List.of(
                    new Row("router throughput, us-east-1" + n, String.format(Locale.ROOT, "%.0f events/s", routerRate),
                            String.format(Locale.ROOT, "plain consume->produce loop: %.0f events/s (%d forwarded%s)", plainRate, plain.forwarded(),
                                    plain.failed() > 0 ? ", " + plain.failed() + " sends FAILED" : ""),
                            ResultTable.ratio(routerRate, plainRate), ">= 0.80x plain loop",
                            // A baseline slowed by failing sends would flatter the router: no verdict then.
                            plain.failed() > 0 ? "n/a (baseline failed)" : ResultTable.met(routerRate >= TARGET_SHARE * plainRate)),
                    new Row("router events timed (after start-up)", Long.toString(routerEvents), "-", "-", "-", "-"));
        }
    }

    private static boolean isWanted(ConsumerRecord<String, byte[]> record, List<String> wanted) {
        var header = record.headers().lastHeader("ce_meshtopic");
        if (header == null) {
            return false;
        }
        String topic = new String(header.value(), StandardCharsets.UTF_8);
        for (String prefix : wanted) {
            if (topic.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static long total(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        int partitions = admin.describeTopics(List.of(MeshKafkaTopics.EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(MeshKafkaTopics.EVENTS).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(MeshKafkaTopics.EVENTS, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> result = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> result.put(tp, info.offset()));
        return result;
    }

    /** The group's committed offsets on {@code mesh.events}; a partition without one counts as at {@code floor}. */
    private static Map<TopicPartition, Long> committed(Admin admin, String group, Map<TopicPartition, Long> floor) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> result = new HashMap<>();
        floor.forEach((tp, min) -> {
            OffsetAndMetadata committed = offsets.get(tp);
            result.put(tp, committed == null ? min : Math.max(min, committed.offset()));
        });
        return result;
    }
}
