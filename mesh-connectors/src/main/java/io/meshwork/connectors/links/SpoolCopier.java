package io.meshwork.connectors.links;

import io.meshwork.connectors.internal.TransformChain;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a record of the origin's spool {@code mesh.link.<target>} into the record the push link
 * writes into {@code <origin>.mesh.link.<target>} in the target's cluster, as MirrorMaker 2 would:
 * same partition, key, value, timestamp and headers, through the link's SMTs. The record is
 * presented to the SMTs as MirrorMaker presents it (a {@link SourceRecord} whose source offset
 * {@code offset} is the spool offset, bytes throughout), so {@code EnterBroker} stamps
 * {@code mesh_link_offset} here exactly as it does under MirrorMaker.
 */
final class SpoolCopier {

    /** The key MirrorMaker (and so {@code EnterBroker}) keeps the source offset under. */
    static final String OFFSET_KEY = "offset";

    private final String origin;
    private final String arrivalTopic;
    private final TransformChain<SourceRecord> transforms;

    /**
     * @param origin     the region whose spool is read
     * @param target     the region the link enters
     * @param transforms the link's SMTs, usually from {@link LinkConfigs#linkGuards}
     */
    SpoolCopier(String origin, String target, TransformChain<SourceRecord> transforms) {
        this.origin = origin;
        this.arrivalTopic = LinkConfigs.arrivalTopic(origin, target);
        this.transforms = transforms;
    }

    String arrivalTopic() {
        return arrivalTopic;
    }

    /** The copy to write into the target's cluster, or {@code null} when a link guard dropped the record. */
    ProducerRecord<byte[], byte[]> copy(ConsumerRecord<byte[], byte[]> spooled) {
        ConnectHeaders headers = new ConnectHeaders();
        spooled.headers().forEach(header -> headers.addBytes(header.key(), header.value()));
        SourceRecord source = new SourceRecord(
                Map.of("cluster", origin, "topic", spooled.topic(), "partition", spooled.partition()),
                Map.of(OFFSET_KEY, spooled.offset()),
                arrivalTopic, spooled.partition(),
                Schema.OPTIONAL_BYTES_SCHEMA, spooled.key(), Schema.OPTIONAL_BYTES_SCHEMA, spooled.value(),
                spooled.timestamp(), headers);
        SourceRecord transformed = transforms.apply(source);
        if (transformed == null) {
            return null;
        }
        RecordHeaders out = new RecordHeaders();
        for (Header header : transformed.headers()) {
            out.add(header.key(), bytes(header.value()));
        }
        return new ProducerRecord<>(arrivalTopic, spooled.partition(), transformed.timestamp(),
                (byte[]) transformed.key(), (byte[]) transformed.value(), out);
    }

    /** The mesh's SMTs write {@code byte[]}; anything else a custom SMT might set is sent as its text. */
    private static byte[] bytes(Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }
}
