package io.meshwork.launcher.drills;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A drill's load: numbered events published into one region's {@code mesh.events} at a steady
 * rate with a plain Kafka producer (CloudEvents binary binding), spread over a few keys. Event
 * {@code n} of key {@code k} has mesh topic {@code <prefix>/<k>}, record key {@code <prefix>-<k>}
 * and payload {@code {"key":k,"n":n}}, so a subscriber can check that it got every number of every
 * key exactly once and in order.
 */
public final class NumberedStream implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String prefix;
    private final int keys;
    private final long periodNanos;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private NumberedStream(String bootstrapServers, String prefix, int keys, int perSecond) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1),
                new StringSerializer(), new ByteArraySerializer());
        this.prefix = prefix;
        this.keys = keys;
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.thread = new Thread(this::run, "numbered-stream-" + prefix);
    }

    /** Starts publishing {@code perSecond} events per second into the region at {@code bootstrapServers}. */
    public static NumberedStream start(String bootstrapServers, String prefix, int keys, int perSecond) {
        NumberedStream stream = new NumberedStream(bootstrapServers, prefix, keys, perSecond);
        stream.thread.start();
        return stream;
    }

    private void run() {
        long next = System.nanoTime();
        int i = 0;
        while (running) {
            int key = i % keys;
            int n = i / keys;
            ProducerRecord<String, byte[]> record = new ProducerRecord<>("mesh.events", prefix + "-" + key,
                    ("{\"key\":" + key + ",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", prefix + "-" + UUID.randomUUID());
            header(record, "ce_source", "/drills/" + prefix);
            header(record, "ce_type", "drill.numbered");
            header(record, "ce_meshtopic", prefix + "/" + key);
            header(record, "content-type", "application/json");
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
            sent.incrementAndGet();
            i++;
            // Pacing the load generator (not waiting for a result): one event per period.
            next += periodNanos;
            long ahead = next - System.nanoTime();
            if (ahead > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(ahead);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static void header(ProducerRecord<String, byte[]> record, String key, String value) {
        record.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Events published so far. */
    public int sent() {
        return sent.get();
    }

    /** Stops publishing once every event sent is acknowledged; returns how many were published. */
    public int stop() throws Exception {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        producer.flush();
        if (failure.get() != null) {
            throw new AssertionError("publishing the numbered stream failed", failure.get());
        }
        return sent.get();
    }

    int keys() {
        return keys;
    }

    String prefix() {
        return prefix;
    }

    @Override
    public void close() {
        running = false;
        producer.close(Duration.ofSeconds(5));
    }
}
