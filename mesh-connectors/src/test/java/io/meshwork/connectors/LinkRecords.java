package io.meshwork.connectors;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Records as MirrorMaker hands them to a link's transforms: real {@link SourceRecord}s on the
 * arrival topic, with {@code ce_*} and routing headers as UTF-8 {@code byte[]} (what
 * {@code ByteArrayConverter} produces) unless a test puts in another value type.
 */
public final class LinkRecords {

    public static final String TOPIC = "eu-west-1.mesh.link.us-east-1";
    public static final int PARTITION = 3;
    public static final long TIMESTAMP = 1_764_411_330_000L;
    public static final byte[] KEY = utf8("com/codesprintpro/order/created");
    public static final byte[] VALUE = utf8("{\"amountCents\":4900}");
    public static final Map<String, ?> SOURCE_PARTITION = Map.of("cluster", "eu-west-1", "topic", "mesh.link.us-east-1", "partition", 3);
    public static final Map<String, ?> SOURCE_OFFSET = Map.of("offset", 42L);

    private final Map<String, Object> headers = new LinkedHashMap<>();
    private String topic = TOPIC;

    private LinkRecords() {
        headers.put("ce_id", utf8("evt_uuid_88192ab_99"));
        headers.put("ce_type", utf8("com.codesprintpro.order.created"));
        headers.put("ce_specversion", utf8("1.0"));
        headers.put("content-type", utf8("application/json"));
    }

    /** An event published in eu-west-1, now crossing the link eu-west-1 → us-east-1. */
    public static LinkRecords fromEuWest() {
        return new LinkRecords().routing("eu-west-1", "eu-west-1", "16").header("mesh_dest", "us-east-1");
    }

    /** An event from a plain Kafka producer: CloudEvents headers, no routing headers. */
    public static LinkRecords withoutRouting() {
        return new LinkRecords();
    }

    public LinkRecords routing(String origin, String path, String hops) {
        return header("mesh_origin", origin).header("mesh_path", path).header("mesh_hops", hops);
    }

    /** Sets a header as UTF-8 bytes (null removes it). */
    public LinkRecords header(String key, String value) {
        return rawHeader(key, value == null ? null : utf8(value));
    }

    /** Sets a header value exactly as given (a String, a number...); null removes it. */
    public LinkRecords rawHeader(String key, Object value) {
        if (value == null) {
            headers.remove(key);
        } else {
            headers.put(key, value);
        }
        return this;
    }

    /** Puts the record on another topic than the data arrivals from eu-west-1. */
    public LinkRecords onTopic(String otherTopic) {
        topic = otherTopic;
        return this;
    }

    public SourceRecord build() {
        ConnectHeaders connectHeaders = new ConnectHeaders();
        headers.forEach((key, value) -> {
            if (value instanceof byte[] bytes) {
                connectHeaders.addBytes(key, bytes);
            } else if (value instanceof String text) {
                connectHeaders.addString(key, text);
            } else if (value instanceof Integer number) {
                connectHeaders.addInt(key, number);
            } else {
                throw new IllegalArgumentException("unsupported header value " + value);
            }
        });
        return new SourceRecord(SOURCE_PARTITION, SOURCE_OFFSET, topic, PARTITION, Schema.OPTIONAL_BYTES_SCHEMA, KEY,
                Schema.OPTIONAL_BYTES_SCHEMA, VALUE, TIMESTAMP, connectHeaders);
    }

    /** The last header of that name as text, whatever type it was written with; null when absent. */
    public static String text(ConnectRecord<?> record, String key) {
        Header header = record.headers().lastWithName(key);
        if (header == null) {
            return null;
        }
        return header.value() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(header.value());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
