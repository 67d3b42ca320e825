package io.meshwork.bench.failover;

import io.meshwork.bench.harness.BenchMesh;
import io.meshwork.bench.harness.Percentiles;
import io.meshwork.bench.harness.ResultTable.Row;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.edge.client.Failover;
import io.meshwork.edge.client.FailoverListener;
import io.meshwork.edge.client.FailoverSubscriber;
import io.meshwork.launcher.internal.EdgeProcess;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The failover target of issue 15: two more ap-southeast-1 edges as processes, a WebSocket
 * subscriber in ap-southeast-1 ({@link FailoverSubscriber}) of events published in us-east-1 every
 * 10 ms, and the edge serving it killed with {@code kill -9} again and again (restarted after each
 * kill, and given one subscription to serve before it is needed, as an edge of a serving region
 * has). Measures kill to first event on the other edge, the time without an edge, how often
 * us-east-1 stopped routing to ap-southeast-1, what the non-durable subscriber missed, and what a
 * durable subscriber on the same edges (resuming with its token) lost or got twice.
 */
public final class FailoverBench {

    private static final String US = BenchMesh.US;
    private static final String AP = BenchMesh.AP;
    private static final Duration TARGET = Duration.ofSeconds(1);

    private FailoverBench() {
    }

    public static List<Row> run(BenchMesh bench, int kills) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String topic = "bench/failover/" + run + "/tick";
        List<EdgeProcess.Ports> ports = List.of(freePorts(), freePorts());
        EdgeProcess[] edges = new EdgeProcess[ports.size()];
        List<String> addresses = ports.stream().map(p -> "ws://127.0.0.1:" + p.http() + "/v1/stream").toList();
        List<Long> recoveries = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger withdrawals = new AtomicInteger();
        AtomicInteger published = new AtomicInteger();
        Recorder recorder = new Recorder();
        Recorder durable = new Recorder();
        AtomicInteger durableMoves = new AtomicInteger();
        AtomicInteger publishedBeforeKills = new AtomicInteger();
        Thread publishing = null;
        Thread watching = null;
        try (KafkaProducer<String, byte[]> producer = bench.producer(US)) {
            for (int i = 0; i < edges.length; i++) {
                edges[i] = start(bench, i, ports.get(i));
            }
            for (int i = 0; i < edges.length; i++) {
                ready(edges[i], addresses.get(i));
            }
            try (FailoverSubscriber subscriber = FailoverSubscriber.webSocket(addresses)
                    .subscribe(subscription("bench/failover/" + run + "/#")).start(recorder);
                 FailoverSubscriber durableSubscriber = FailoverSubscriber.webSocket(addresses)
                         .subscribe(subscription("bench/failover/" + run + "/#").toBuilder().setDeliveryPolicy("durable").build())
                         .start(durable)) {
                recorder.await(() -> recorder.meshActive, Duration.ofSeconds(30), "the subscription to be active mesh-wide");
                durable.await(() -> durable.subscribed, Duration.ofSeconds(30), "the durable subscription");
                publishing = new Thread(() -> {
                    while (running.get()) {
                        int n = published.incrementAndGet();
                        producer.send(BenchMesh.event(topic, run + "-" + n, ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8)));
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                    }
                }, "failover-publisher");
                publishing.start();
                recorder.await(() -> !recorder.events.isEmpty(), Duration.ofSeconds(30), "the first event");
                durable.await(() -> !durable.events.isEmpty(), Duration.ofSeconds(30), "the durable subscriber's first event");
                watching = new Thread(() -> {
                    while (running.get()) {
                        if (!bench.mesh().router(US).regionsWanting(topic).contains(AP)) {
                            withdrawals.incrementAndGet();
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                }, "failover-interest-watch");
                watching.start();
                // Events older than one both subscribers already have: what follows may fall into the first kill's gap.
                publishedBeforeKills.set((int) Math.min(recorder.highest(), durable.highest()));
                for (int kill = 0; kill < kills; kill++) {
                    recorder.await(() -> subscriber.currentEdge() != null, Duration.ofSeconds(10), "a serving edge");
                    int victim = addresses.indexOf(subscriber.currentEdge());
                    if (addresses.get(victim).equals(durableSubscriber.currentEdge())) {
                        durableMoves.incrementAndGet();
                    }
                    int failoversBefore = recorder.failovers.size();
                    long killedAt = System.nanoTime();
                    edges[victim].kill();
                    recorder.await(() -> recorder.firstEventAfter(killedAt, failoversBefore) != null, Duration.ofSeconds(10),
                            "the first event after kill " + (kill + 1));
                    recoveries.add(recorder.firstEventAfter(killedAt, failoversBefore) - killedAt);
                    gaps.add(recorder.failovers.get(failoversBefore).gap().toNanos());
                    edges[victim] = start(bench, victim, ports.get(victim));
                    ready(edges[victim], addresses.get(victim));
                }
                running.set(false);
                publishing.join(5_000);
                producer.flush();
                // Every event published, the kills' windows included, must reach the durable subscriber.
                int sent = published.get();
                durable.awaitOrGiveUp(() -> durable.events.stream().distinct().count() >= sent, Duration.ofSeconds(60));
            }
        } finally {
            running.set(false);
            if (publishing != null) {
                publishing.join(5_000);
            }
            if (watching != null) {
                watching.join(5_000);
            }
            for (EdgeProcess edge : edges) {
                if (edge != null) {
                    edge.close();
                }
            }
        }
        Percentiles recovery = Percentiles.of(recoveries.stream().mapToLong(Long::longValue).toArray(), recoveries.size()).scaled(1e6);
        Percentiles gap = Percentiles.of(gaps.stream().mapToLong(Long::longValue).toArray(), gaps.size()).scaled(1e6);
        long received = recorder.events.stream().distinct().count();
        long duplicates = recorder.events.size() - received;
        // Up to the last event received: what was published after the subscriber closed is not a gap.
        long last = recorder.highest();
        long durableDuplicates = durable.events.size() - durable.events.stream().distinct().count();
        Loss durableLoss = Loss.of(durable.events, run, publishedBeforeKills.get(), published.get());
        Loss plainLoss = Loss.of(recorder.events, run, publishedBeforeKills.get(), last);
        if (durableLoss.total() > 0) {
            System.err.println("durable subscriber missed events " + durableLoss.missing() + "; its errors: " + durable.errors);
        }
        if (durableLoss.beforeFirstKill() > 0 || plainLoss.beforeFirstKill() > 0) {
            where(bench, run, 60);
        }
        return List.of(
                new Row("kill -9 -> reconnect + resubscribe + first event, " + kills + " kills, p50 / p99 / max",
                        String.format(Locale.ROOT, "%.0f / %.0f / %.0f ms", recovery.p50(), recovery.p99(), recovery.max()), "-", "-",
                        "p99 <= " + TARGET.toMillis() + " ms", recovery.p99() <= TARGET.toMillis() ? "MET" : "MISSED"),
                new Row("time without an edge (loss seen -> every subscription confirmed), p50 / p99",
                        String.format(Locale.ROOT, "%.0f / %.0f ms", gap.p50(), gap.p99()), "-", "-", "-", "-"),
                new Row("us-east-1 not routing to ap-southeast-1 during the drill (20 ms polls)", Integer.toString(withdrawals.get()),
                        "-", "-", "0", withdrawals.get() == 0 ? "MET" : "MISSED"),
                new Row("non-durable subscriber: events missed in " + kills + " gaps (after the first kill) / duplicates",
                        plainLoss.afterFirstKill() + " of " + (last - publishedBeforeKills.get()) + " / " + duplicates, "-", "-",
                        "bounded gap", "-"),
                new Row("durable subscriber (moved by " + durableMoves.get() + " of the kills): events lost through the kills / duplicates",
                        durableLoss.afterFirstKill() + " of " + (published.get() - publishedBeforeKills.get()) + " / " + durableDuplicates,
                        "-", "-", "0 / 0", durableLoss.afterFirstKill() == 0 && durableDuplicates == 0 ? "MET" : "MISSED"),
                new Row("before the first kill (up to the last event both subscribers had): events missed, non-durable / durable",
                        plainLoss.beforeFirstKill() + " / " + durableLoss.beforeFirstKill() + " of " + publishedBeforeKills.get(),
                        "-", "-", "0 / 0", plainLoss.beforeFirstKill() == 0 && durableLoss.beforeFirstKill() == 0 ? "MET"
                        : "MISSED: see docs/BENCHMARKS.md, issue 15"));
    }

    /** Which of the events numbered 1..upTo a subscriber never got, split at the first kill. */
    private record Loss(List<Integer> missing, int firstKillAfter) {
        static Loss of(List<String> received, String run, int publishedBeforeKills, long upTo) {
            Set<String> got = new HashSet<>(received);
            List<Integer> missing = new ArrayList<>();
            for (int n = 1; n <= upTo; n++) {
                if (!got.contains(run + "-" + n)) {
                    missing.add(n);
                }
            }
            return new Loss(missing, publishedBeforeKills);
        }

        long total() {
            return missing.size();
        }

        long beforeFirstKill() {
            return missing.stream().filter(n -> n <= firstKillAfter).count();
        }

        long afterFirstKill() {
            return missing.stream().filter(n -> n > firstKillAfter).count();
        }
    }

    private static EdgeProcess start(BenchMesh bench, int index, EdgeProcess.Ports ports) {
        return EdgeProcess.start("edge ap#" + (index + 1), AP, bench.mesh().region(AP).bootstrapServers(), "127.0.0.1", ports,
                null, Map.of(MeshKeys.STARTUP_CHECK_TIMEOUT, "60s"), line -> {
                    if (line.contains(" ERROR ")) {
                        System.err.println(line);
                    }
                });
    }

    /** Waits for the edge and has it serve one subscription: an edge of a serving region is warm. */
    private static void ready(EdgeProcess edge, String address) throws Exception {
        edge.awaitReady(Duration.ofSeconds(120));
        Recorder warming = new Recorder();
        try (FailoverSubscriber subscriber = FailoverSubscriber.webSocket(List.of(address))
                .subscribe(subscription("bench/warm-up/#")).start(warming)) {
            warming.await(() -> warming.subscribed, Duration.ofSeconds(30), edge.name() + " to confirm a subscription");
        }
    }

    private static SubscriptionRequest subscription(String pattern) {
        return SubscriptionRequest.newBuilder().setClientId("bench-failover").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern(pattern).build();
    }

    private static EdgeProcess.Ports freePorts() throws IOException {
        return new EdgeProcess.Ports(freePort(), freePort(), freePort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    /** What the subscriber saw: event ids with arrival time and the failovers so far. */
    private static final class Recorder implements FailoverListener {
        private record Arrival(long atNanos, int failoversSoFar) {
        }

        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
        final List<Failover> failovers = new CopyOnWriteArrayList<>();
        final List<String> errors = new CopyOnWriteArrayList<>();
        volatile boolean subscribed;
        volatile boolean meshActive;

        @Override
        public void onEvent(EventEnvelope event) {
            events.add(event.getEventId());
            arrivals.add(new Arrival(System.nanoTime(), failovers.size()));
        }

        @Override
        public void onControl(StreamControl control) {
            subscribed |= control.getType() == StreamControl.Type.SUBSCRIBED;
            meshActive |= control.getType() == StreamControl.Type.MESH_ACTIVE;
            if (control.getType() == StreamControl.Type.ERROR) {
                errors.add(control.getErrorCode() + " " + control.getField() + ": " + control.getMessage());
            }
        }

        @Override
        public void onFailover(Failover failover) {
            failovers.add(failover);
        }

        /** The highest event number received so far (event ids end in {@code -<n>}). */
        long highest() {
            return events.stream().mapToLong(id -> Long.parseLong(id.substring(id.lastIndexOf('-') + 1))).max().orElse(0);
        }

        Long firstEventAfter(long killedAtNanos, int failoversBefore) {
            return arrivals.stream().filter(a -> a.atNanos() > killedAtNanos && a.failoversSoFar() > failoversBefore)
                    .map(Arrival::atNanos).findFirst().orElse(null);
        }

        void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
            if (!awaitOrGiveUp(condition, timeout)) {
                throw new IllegalStateException("gave up waiting " + timeout.toSeconds() + " s for " + what);
            }
        }

        /** Waits for {@code condition}; false when it did not hold within {@code timeout}. */
        boolean awaitOrGiveUp(BooleanSupplier condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
            return true;
        }
    }
    /** Diagnostic: where the events numbered 1..upTo of a run are, topic by topic. */
    static void where(BenchMesh bench, String run, int upTo) {
        String[][] places = {{"us-east-1", MeshKafkaTopics.EVENTS}, {"us-east-1", MeshKafkaTopics.link(AP)},
                {"us-east-1", MeshKafkaTopics.link("eu-west-1")}, {AP, MeshKafkaTopics.arrivals(US, AP)},
                {AP, MeshKafkaTopics.arrivals("eu-west-1", AP)}, {AP, MeshKafkaTopics.EVENTS}};
        for (String isolation : List.of("read_uncommitted", "read_committed")) {
            for (String[] place : places) {
                TreeSet<Integer> found = new TreeSet<>();
                try (var consumer = new KafkaConsumer<String, byte[]>(Map.of(
                        "bootstrap.servers", bench.mesh().region(place[0]).bootstrapServers(), "isolation.level", isolation),
                        new StringDeserializer(), new ByteArrayDeserializer())) {
                    var partitions = consumer.partitionsFor(place[1]).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    var end = consumer.endOffsets(partitions);
                    long deadline = System.currentTimeMillis() + 20_000;
                    while (System.currentTimeMillis() < deadline && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                        for (var record : consumer.poll(Duration.ofMillis(200))) {
                            var id = record.headers().lastHeader("ce_id");
                            if (id != null) {
                                String s = new String(id.value(), StandardCharsets.UTF_8);
                                if (s.startsWith(run + "-")) {
                                    int n = Integer.parseInt(s.substring(run.length() + 1));
                                    if (n <= upTo) {
                                        found.add(n);
                                    }
                                }
                            }
                        }
                    }
                } catch (RuntimeException e) {
                    System.err.println("WHERE " + place[0] + " " + place[1] + ": " + e);
                    continue;
                }
                System.err.println("WHERE " + isolation + " " + place[0] + " " + place[1] + ": " + found.size() + " of 1.." + upTo + " " + found);
            }
        }
    }
}
