package io.meshwork.core.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes side records (heartbeats, trace hops) to one topic of the regional cluster, where a
 * lost record costs little and must never stop the caller: sends are asynchronous with
 * {@code acks=1}, and the first failure is logged once (e.g. a cluster without the topic) rather
 * than per record.
 */
public final class BestEffortWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BestEffortWriter.class);

    private final String topic;
    private final String warning;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicBoolean failed = new AtomicBoolean();

    /**
     * @param what      who writes, for the warning (e.g. "region us-east-1: edge-1")
     * @param kafka     the regional cluster's client settings
     * @param overrides producer settings beyond the user's, client id, acks and serializers
     */
    public BestEffortWriter(KafkaClients kafka, String clientId, String topic, String what, Map<String, Object> overrides) {
        this.topic = topic;
        this.warning = what + " cannot write to " + topic + " ({}); further failures are not logged";
        Map<String, Object> config = new HashMap<>(overrides);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        this.producer = kafka.producer(what, config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends {@code value} under {@code key}; returns at once (unless metadata is missing: up to max.block.ms). */
    public void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
                if (error != null) {
                    failed(error);
                }
            });
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    /** Reports a failure that happened before a send (a full queue, say), logged once like the others. */
    public void failed(Exception error) {
        if (failed.compareAndSet(false, true)) {
            LOG.warn(warning, error.toString());
        }
    }

    /** Whether any write failed so far. */
    public boolean hasFailed() {
        return failed.get();
    }

    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
