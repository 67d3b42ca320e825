package io.meshwork.core.retained;

import io.meshwork.core.kafka.MeshKafkaTopics;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The records of {@code mesh.retained}, for every module that reads or writes them.
 *
 * <p>Key {@code <origin region>|<mesh topic>}; value and headers are the retained event as on
 * {@code mesh.events} (CloudEvents Kafka binding); an empty value deletes the topic's retained
 * message (MQTT's own rule), and is kept as a record, never a Kafka tombstone, so the deletion
 * keeps winning against older writes for as long as the topic exists.
 *
 * <p>Why the origin is part of the key: compaction keeps the record a key received <em>last</em>,
 * not the newest by {@link RetainedVersion}. With one key per origin, each key has writers that
 * append in version order: a region's own records are written by its edges and stamped by its
 * broker ({@code LogAppendTime}, so offset order is time order), and other regions' records by the
 * region's one retained relay, which appends only what is newer than anything it knows of.
 *
 * <p>A record written by an edge carries its version in its timestamp and offset; a relayed copy
 * carries the origin's in {@value #AT} and {@value #SEQ}.
 */
public final class RetainedRecords {

    /** On relayed records: the origin's append time, epoch millis. */
    public static final String AT = "mesh_retained_at";
    /** On relayed records: the record's offset in the origin's {@code mesh.retained}. */
    public static final String SEQ = "mesh_retained_seq";

    private static final char SEPARATOR = '|';

    private RetainedRecords() {
    }

    /** A parsed key: whose record, for which topic. */
    public record Key(String origin, String topic) {
    }

    /** The key of {@code topic}'s record from {@code origin}. */
    public static String key(String origin, String topic) {
        if (origin.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("region '" + origin + "' contains '" + SEPARATOR + "', which retained keys use as separator");
        }
        return origin + SEPARATOR + topic;
    }

    /**
     * @throws IllegalArgumentException naming the topic and key when it is not {@code <origin>|<topic>}
     */
    public static Key parseKey(String key) {
        int separator = key == null ? -1 : key.indexOf(SEPARATOR);
        if (separator <= 0 || separator == key.length() - 1) {
            throw new IllegalArgumentException(MeshKafkaTopics.RETAINED + ": key '" + key + "' is not <origin region>|<mesh topic>");
        }
        return new Key(key.substring(0, separator), key.substring(separator + 1));
    }

    /**
     * The version of a record read from a region's {@code mesh.retained}.
     *
     * @throws IllegalArgumentException when the key or a version header is malformed
     */
    public static RetainedVersion version(ConsumerRecord<String, byte[]> record) {
        Key key = parseKey(record.key());
        OptionalLong at = longHeader(record.headers(), AT);
        OptionalLong seq = longHeader(record.headers(), SEQ);
        if (at.isPresent() != seq.isPresent()) {
            throw new IllegalArgumentException(MeshKafkaTopics.RETAINED + ": record " + record.key() + " carries only one of " + AT + ", " + SEQ);
        }
        return at.isPresent()
                ? new RetainedVersion(at.getAsLong(), key.origin(), seq.getAsLong())
                : new RetainedVersion(record.timestamp(), key.origin(), record.offset());
    }

    /** Whether the record deletes its topic's retained message. */
    public static boolean deletes(ConsumerRecord<String, byte[]> record) {
        return record.value() == null || record.value().length == 0;
    }

    /** A copy of {@code record} for another region's {@code mesh.retained}, stamped with its version. */
    public static ProducerRecord<String, byte[]> relayed(ConsumerRecord<String, byte[]> record, RetainedVersion version) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        ProducerRecord<String, byte[]> copy = new ProducerRecord<>(MeshKafkaTopics.RETAINED, 0, null, record.key(), value);
        for (Header header : record.headers()) {
            if (!header.key().equals(AT) && !header.key().equals(SEQ)) {
                copy.headers().add(header);
            }
        }
        copy.headers().add(AT, Long.toString(version.at()).getBytes(StandardCharsets.UTF_8));
        copy.headers().add(SEQ, Long.toString(version.seq()).getBytes(StandardCharsets.UTF_8));
        return copy;
    }

    private static OptionalLong longHeader(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        if (header == null || header.value() == null) {
            return OptionalLong.empty();
        }
        String text = new String(header.value(), StandardCharsets.UTF_8);
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MeshKafkaTopics.RETAINED + ": header " + name + " is not a number: '" + text + "'");
        }
    }
}
