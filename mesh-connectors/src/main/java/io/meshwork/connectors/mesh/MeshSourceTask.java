package io.meshwork.connectors.mesh;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.interest.InterestPublisher;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.core.trace.TraceMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the connector's interest in its region ({@link InterestPublisher}, as an edge does for
 * a subscription), then reads every partition of the region's {@code mesh.events} from the
 * positions Connect stored (each the last event written, so it resumes at the next one) and
 * writes the events that match the pattern and selector.
 *
 * <p>Written records keep the CloudEvents Kafka binding: the key of {@code mesh.events}, the
 * payload as bytes, the {@code ce_*}, {@code content-type} and {@code traceparent} headers as text.
 * The mesh's routing headers stay behind: they describe the mesh's hops, not the event.
 *
 * <p>Stopping does not withdraw the interest: it lasts until its lease runs out, so that events
 * other regions route here while the connector restarts or rebalances are in {@code mesh.events}
 * when it resumes.
 */
public class MeshSourceTask extends SourceTask {

    private static final Logger LOG = LoggerFactory.getLogger(MeshSourceTask.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private String region;
    private String targetTopic;
    private TopicPattern pattern;
    private Selector selector;
    private KafkaEventCodec codec;
    private InterestPublisher interest;
    private KafkaConsumer<String, byte[]> consumer;
    /** Held while polling: stop() closes the consumer only between polls (KafkaConsumer is single-threaded). */
    private final ReentrantLock consumerAccess = new ReentrantLock();
    private volatile boolean stopping;
    private long skippedInvalid;

    @Override
    public void start(Map<String, String> props) {
        MeshSourceConfig config = new MeshSourceConfig(props);
        region = config.region();
        targetTopic = config.targetTopic();
        pattern = config.pattern();
        selector = config.selector();
        codec = new KafkaEventCodec(region, config.brokerId());
        String name = props.getOrDefault("name", "mesh-source");
        // One id per connector, stable across restarts: a restart renews the same entry and lease.
        interest = new InterestPublisher(config.kafka(), region, "connect-" + name.replace('|', '_'), config.leaseTtl());
        interest.start();
        interest.acquire(pattern.value(), config.selectorExpression());
        consumer = config.kafka().consumer("mesh source " + region, Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "meshwork-source-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        position(config.startsAtEarliest());
        LOG.info("region {}: mesh source {} registered interest in {}{} and writes matches to {}", region, name, pattern.value(),
                selector == Selector.ACCEPT_ALL ? "" : " with selector '" + selector.expression() + "'", targetTopic);
    }

    /** Assigns every partition of mesh.events and resumes after the stored positions. */
    private void position(boolean earliest) {
        List<TopicPartition> partitions = consumer.partitionsFor(MeshKafkaTopics.EVENTS, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        List<Map<String, Object>> keys = partitions.stream().map(p -> EventPositions.partition(region, p.partition())).toList();
        Map<Map<String, Object>, Map<String, Object>> stored = context.offsetStorageReader().offsets(keys);
        List<TopicPartition> fresh = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            OptionalLong last = EventPositions.storedOffset(stored.get(EventPositions.partition(region, partition.partition())));
            if (last.isPresent()) {
                consumer.seek(partition, last.getAsLong() + 1);
            } else {
                fresh.add(partition);
            }
        }
        if (earliest) {
            consumer.seekToBeginning(fresh);
        } else {
            consumer.seekToEnd(fresh);
        }
        // Fix the positions now: events that arrive from here on are read even before the first poll.
        partitions.forEach(consumer::position);
    }

    @Override
    public List<SourceRecord> poll() {
        consumerAccess.lock();
        try {
            if (stopping) {
                return null;
            }
            List<SourceRecord> out = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                MeshEvent event = matching(record);
                if (event != null) {
                    out.add(sourceRecord(record));
                }
            }
            return out.isEmpty() ? null : out;
        } catch (WakeupException e) {
            return null; // stop() woke the poll up
        } finally {
            consumerAccess.unlock();
        }
    }

    private MeshEvent matching(ConsumerRecord<String, byte[]> record) {
        if (MeshHeaderCodec.traceMode(record.headers()) == TraceMode.TRACE_ONLY) {
            return null; // a trace-only dry run: routed and traced, delivered to nobody
        }
        MeshEvent event;
        try {
            event = codec.decode(record);
        } catch (InvalidEventException e) {
            skippedInvalid++;
            LOG.warn("region {}: mesh source skips invalid event at {}-{}@{} ({} so far): {} ({})", region, record.topic(),
                    record.partition(), record.offset(), skippedInvalid, e.getMessage(), e.field());
            return null;
        }
        if (!pattern.matches(event.topic())
                || (selector != Selector.ACCEPT_ALL && !selector.matches(event.selectorContext().get()))) {
            return null;
        }
        return event;
    }

    private SourceRecord sourceRecord(ConsumerRecord<String, byte[]> record) {
        ConnectHeaders headers = new ConnectHeaders();
        for (Header header : record.headers()) {
            String key = header.key().toLowerCase(Locale.ROOT);
            if (key.startsWith("ce_") || key.equals("content-type") || key.equals("traceparent")) {
                headers.addString(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new SourceRecord(EventPositions.partition(region, record.partition()), EventPositions.offset(record.offset()),
                targetTopic, null, Schema.OPTIONAL_STRING_SCHEMA, record.key(), Schema.OPTIONAL_BYTES_SCHEMA, record.value(),
                record.timestamp(), headers);
    }

    @Override
    public void stop() {
        stopping = true;
        if (consumer != null) {
            consumer.wakeup();
            consumerAccess.lock();
            try {
                consumer.close(Duration.ofSeconds(5));
            } finally {
                consumerAccess.unlock();
            }
        }
        if (interest != null) {
            interest.abandon(); // the lease, not this stop, ends the interest (see the class comment)
        }
        LOG.info("region {}: mesh source stopped; its interest in {} lasts until its lease runs out", region,
                pattern == null ? "?" : pattern.value());
    }

    @Override
    public String version() {
        return ConnectorVersion.get();
    }
}
