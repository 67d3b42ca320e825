package io.meshwork.connectors.links;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a push link puts a record the neighbour refuses for good: the origin's {@code mesh.dlq},
 * with the reason, so that one record the far cluster will never take (larger than its
 * {@code max.message.bytes}, a timestamp outside its window) does not stall the link's every later
 * event in an endless rewind. The loss is told: a WARN naming the event and the reason, the
 * counter {@code mesh_link_dead_letters_total{link}}, and the record itself in {@code mesh.dlq}.
 * Errors that are not about one record (a cut link, a missing ACL, a timeout) still rewind.
 *
 * <p>The producer is made on the first dead letter: most links never need one.
 */
final class LinkDeadLetters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LinkDeadLetters.class);
    /** The {@code mesh_dlq_field} of a record a link's neighbour refused. */
    static final String FIELD = "link";

    private final String link;
    private final String target;
    private final KafkaClients local;
    private final Counter counter;
    private KafkaProducer<byte[], byte[]> producer;

    LinkDeadLetters(String link, String target, KafkaClients local) {
        this.link = link;
        this.target = target;
        this.local = local;
        this.counter = Counter.builder("mesh.link.dead.letters")
                .description("Records a push link's neighbour refused for good, sent to the origin's mesh.dlq")
                .tag("link", link).register(MeshMetrics.registry());
    }

    /** Whether {@code error} refuses this one record whatever is tried again, rather than the link. */
    static boolean refusesTheRecordForGood(Exception error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException || error instanceof InvalidTimestampException;
    }

    /**
     * Writes {@code refused} (as sent to the neighbour) to {@code mesh.dlq}; {@code done} runs once
     * the origin's cluster has it, {@code failed} when it could not be written (the link rewinds and
     * tries the record again).
     */
    synchronized void send(ProducerRecord<byte[], byte[]> refused, Exception reason, Runnable done, Consumer<Exception> failed) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(MeshKafkaTopics.DLQ, null, refused.timestamp(), refused.key(),
                refused.value(), refused.headers());
        MeshHeaderCodec.writeDeadLetter(letter.headers(), FIELD, target + " refused it on link " + link + ": "
                + reason.getClass().getSimpleName() + ": " + reason.getMessage());
        try {
            producer().send(letter, (metadata, error) -> {
                if (error != null) {
                    failed.accept(error);
                    return;
                }
                counter.increment();
                LOG.warn("link {}: {} refused event {} for good ({}: {}); it is in {} of the origin at offset {}, and the "
                        + "link goes on", link, target, eventId(refused), reason.getClass().getSimpleName(), reason.getMessage(),
                        MeshKafkaTopics.DLQ, metadata.offset());
                done.run();
            });
        } catch (RuntimeException e) {
            failed.accept(e);
        }
    }

    private static String eventId(ProducerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader("ce_id");
        return id == null ? "(no ce_id)" : new String(id.value(), StandardCharsets.UTF_8);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = local.producer("link " + link + " dead letters", Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "meshwork-link-" + link + "-dlq",
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LinkConfigs.MAX_REQUEST_SIZE_BYTES),
                    new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
