package io.meshwork.connectors.links;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.ExtraListener;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.embedded.wan.WanLink;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link alone, us-east-1 → ap-southeast-1 over the emulated 180 ms RTT: what each link adds to
 * the 90 ms one-way delay, from the send into the origin's spool to the read of the arrival topic in
 * the target: the push link (run in us-east-1) at 100 and 1,000 events/s against the mesh's
 * MirrorMaker 2 (run in ap-southeast-1, with the mesh's link settings) at 100 events/s, on the
 * same clusters and WAN links; and the WAN bytes each spends per event.
 */
@Tag("integration")
@Timeout(value = 400, unit = TimeUnit.SECONDS)
class LinkLatencyIntegrationTest {

    private static final Logger LOG = LoggerFactory.getLogger(LinkLatencyIntegrationTest.class);
    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";
    private static final Duration RTT = Duration.ofMillis(180);
    private static final int PARTITIONS = 3;
    private static final Duration WARM_UP = Duration.ofSeconds(1);
    private static final Duration MEASURED = Duration.ofSeconds(15);

    @Test
    void thePushLinkAddsLittleToTheOneWayDelayAndLessThanMirrorMaker() throws Exception {
        try (WanLink usToAp = WanLink.open(US, AP, RTT);
             WanLink apToUs = WanLink.open(AP, US, RTT);
             var ap = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(AP).withExtraListener(new ExtraListener("FROM_US", usToAp.port())));
             var us = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US).withExtraListener(new ExtraListener("FROM_AP", apToUs.port())))) {
            usToAp.forwardTo(new InetSocketAddress("127.0.0.1", ap.listenerPort("FROM_US")));
            apToUs.forwardTo(new InetSocketAddress("127.0.0.1", us.listenerPort("FROM_AP")));
            us.createTopic(MeshKafkaTopics.link(AP), PARTITIONS, Map.of("compression.type", "zstd"));
            us.createTopic(MeshKafkaTopics.ROUTES, 1, Map.of("cleanup.policy", "compact"));
            ap.createTopic(MeshKafkaTopics.arrivals(US, AP), PARTITIONS, Map.of());

            long[] push;
            long[] pushFast;
            long pushBytes;
            try (PushLink link = PushLink.start(US, AP, KafkaClients.of(us.bootstrapServers()), KafkaClients.of("127.0.0.1:" + usToAp.port()))) {
                long before = usToAp.bytesForwarded() + apToUs.bytesForwarded();
                push = addedMillis(us, ap, 100);
                pushBytes = usToAp.bytesForwarded() + apToUs.bytesForwarded() - before;
                pushFast = addedMillis(us, ap, 1_000);
            }
            long[] mirrorMaker;
            long mirrorMakerBytes;
            try (RegionMirror mirror = RegionMirror.start(AP, KafkaClients.of(ap.bootstrapServers()),
                    Map.of(US, KafkaClients.of("127.0.0.1:" + apToUs.port())), LinkSettings.embedded(), Duration.ofSeconds(120))) {
                long before = usToAp.bytesForwarded() + apToUs.bytesForwarded();
                mirrorMaker = addedMillis(us, ap, 100);
                mirrorMakerBytes = usToAp.bytesForwarded() + apToUs.bytesForwarded() - before;
            }

            LOG.info("added over the {} ms one-way delay, {} s per run: push link at 100/s {}, at 1000/s {}; MirrorMaker 2 at 100/s {}; "
                            + "WAN bytes per event at 100/s (both directions, control channel included for MirrorMaker): push {}, MirrorMaker 2 {}",
                    RTT.toMillis() / 2, MEASURED.toSeconds(), summary(push), summary(pushFast), summary(mirrorMaker),
                    pushBytes / push.length, mirrorMakerBytes / mirrorMaker.length);
            assertThat(percentile(push, 50)).as("push link p50 added, ms").isLessThanOrEqualTo(25);
            assertThat(percentile(push, 50)).as("push link p50 added against MirrorMaker's").isLessThan(percentile(mirrorMaker, 50));
        }
    }

    /** Sends warm-up and measured events at the rate into us-east-1's spool; returns what each measured one took beyond RTT/2. */
    private static long[] addedMillis(EmbeddedKafkaCluster us, EmbeddedKafkaCluster ap, int ratePerSecond) throws Exception {
        String arrivals = MeshKafkaTopics.arrivals(US, AP);
        int warmUp = (int) (ratePerSecond * WARM_UP.toMillis() / 1000);
        int measured = (int) (ratePerSecond * MEASURED.toMillis() / 1000);
        long[] added = new long[measured];
        AtomicInteger received = new AtomicInteger();
        String run = Long.toString(System.nanoTime());
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ap.bootstrapServers(),
                     ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, us.bootstrapServers(),
                     ProducerConfig.LINGER_MS_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(arrivals, p)).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            // The link carries events before the clock starts (MirrorMaker's task may start late).
            producer.send(new ProducerRecord<>(MeshKafkaTopics.link(AP), 0, null, payload(-1)));
            await("the link carrying a first event").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .until(() -> !consumer.poll(Duration.ofMillis(100)).isEmpty());
            ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger sent = new AtomicInteger();
            pacer.scheduleAtFixedRate(() -> {
                int n = sent.getAndIncrement();
                if (n >= warmUp + measured) {
                    return;
                }
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(MeshKafkaTopics.link(AP), n % PARTITIONS,
                        ("orders/" + n % 8).getBytes(UTF_8), payload(n));
                record.headers().add("run", run.getBytes(UTF_8));
                record.headers().add("n", ByteBuffer.allocate(4).putInt(n).array());
                record.headers().add("sent_ns", ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
                producer.send(record);
            }, 0, 1_000_000 / ratePerSecond, TimeUnit.MICROSECONDS);
            try {
                await().atMost(Duration.ofSeconds(120)).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> {
                    consumer.poll(Duration.ofMillis(50)).forEach(record -> {
                        long now = System.nanoTime();
                        Header runOf = record.headers().lastHeader("run");
                        if (runOf == null || !run.equals(new String(runOf.value(), UTF_8))) {
                            return;
                        }
                        int n = ByteBuffer.wrap(record.headers().lastHeader("n").value()).getInt();
                        long sentAt = ByteBuffer.wrap(record.headers().lastHeader("sent_ns").value()).getLong();
                        if (n >= warmUp) {
                            added[n - warmUp] = TimeUnit.NANOSECONDS.toMillis(now - sentAt) - RTT.toMillis() / 2;
                            received.incrementAndGet();
                        }
                    });
                    return received.get() >= measured;
                });
            } finally {
                pacer.shutdownNow();
            }
        }
        return added;
    }

    /** An order event of about 200 bytes, different for every n, so that compression has real work. */
    private static byte[] payload(int n) {
        return String.format(Locale.ROOT, "{\"orderId\":\"%s\",\"customer\":\"c-%d\",\"amountCents\":%d,\"currency\":\"USD\","
                + "\"items\":[{\"sku\":\"sku-%d\",\"qty\":%d}],\"createdAt\":%d}", java.util.UUID.randomUUID(), n % 977, n * 37 % 100_000,
                n % 4099, 1 + n % 5, System.currentTimeMillis()).getBytes(UTF_8);
    }

    private static long percentile(long[] samples, double p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length - 1e-9) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String summary(long[] samples) {
        return String.format(Locale.ROOT, "p50 %d ms, p99 %d ms, max %d ms", percentile(samples, 50), percentile(samples, 99),
                percentile(samples, 100));
    }
}
