package io.meshwork.connectors.mesh;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each record as an event to the region's {@code mesh.events} with an idempotent
 * {@code acks=all} producer. {@link #flush} waits for every ack before Connect commits the
 * records' offsets; if any write failed it throws, so Connect commits nothing and delivers the
 * records again from the last committed offsets (the same events, by id).
 *
 * <p>A record that cannot be mapped goes to Connect's errant record reporter (the dead letter
 * queue under {@code errors.tolerance=all}); without one (the default {@code errors.tolerance=none})
 * the task fails with the reason, as Connect does for a record it cannot convert.
 */
public class MeshSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(MeshSinkTask.class);

    private String region;
    private SinkEvents events;
    private KafkaEventCodec codec;
    private KafkaProducer<String, byte[]> producer;
    private ErrantRecordReporter reporter;
    /** The first write that failed since the last flush; the next flush fails with it. */
    private final AtomicReference<Exception> failedWrite = new AtomicReference<>();

    @Override
    public void start(Map<String, String> props) {
        MeshSinkConfig config = new MeshSinkConfig(props);
        region = config.region();
        events = config.events();
        codec = new KafkaEventCodec(region, config.brokerId());
        reporter = reporter();
        String clientId = "meshwork-sink-" + props.getOrDefault("name", "connector") + "-" + props.getOrDefault("task.id", "0");
        producer = config.kafka().producer("mesh sink " + region, Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
        LOG.info("mesh sink into region {} ({}) started", region, config.getString(MeshSinkConfig.BOOTSTRAP_SERVERS));
    }

    private ErrantRecordReporter reporter() {
        try {
            return context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // a worker older than Kafka 2.6
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            MeshEvent event;
            try {
                event = events.eventOf(record);
            } catch (DataException e) {
                unmappable(record, e);
                continue;
            }
            long timestamp = record.timestamp() != null ? record.timestamp() : System.currentTimeMillis();
            ProducerRecord<String, byte[]> out = codec.encode(MeshKafkaTopics.EVENTS, event, timestamp);
            producer.send(out, (metadata, error) -> {
                if (error != null && failedWrite.compareAndSet(null, error)) {
                    LOG.warn("region {}: writing event {} (record {}-{}@{}) to mesh.events failed: {}", region, event.id(),
                            record.topic(), record.kafkaPartition(), record.kafkaOffset(), error.toString());
                }
            });
        }
    }

    private void unmappable(SinkRecord record, DataException reason) {
        if (reporter == null) {
            throw reason;
        }
        LOG.debug("region {}: record {}-{}@{} reported as errant: {}", region, record.topic(), record.kafkaPartition(),
                record.kafkaOffset(), reason.getMessage());
        reporter.report(record, reason);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        producer.flush();
        Exception failed = failedWrite.getAndSet(null);
        if (failed != null) {
            throw new ConnectException("region " + region + ": mesh.events did not acknowledge every event; "
                    + "offsets are not committed and the records will be delivered again: " + failed.getMessage(), failed);
        }
    }

    @Override
    public void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
    }

    @Override
    public String version() {
        return ConnectorVersion.get();
    }
}
