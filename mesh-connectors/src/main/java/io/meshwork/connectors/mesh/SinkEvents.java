package io.meshwork.connectors.mesh;

import io.cloudevents.CloudEvent;
import io.meshwork.core.envelope.CloudEventAttributes;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.envelope.Routing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a Connect record into the event the mesh carries, as an edge would publish it: a
 * CloudEvent built and checked by {@link CloudEventAttributes} (the rules every protocol's publish
 * obeys) and stamped as published in this region ({@link Routing#publishedAt}).
 *
 * <p>The event id is the record's position ({@code <topic>-<partition>-<offset>}): a record Connect
 * delivers again after a failed commit becomes the same event, which the mesh's routers
 * deduplicate. Payloads: bytes as they are ({@code application/octet-stream}), text as UTF-8
 * ({@code text/plain}), Structs, Maps, Lists and other values as JSON ({@code application/json});
 * {@code mesh.ce.datacontenttype} overrides the content type.
 */
final class SinkEvents {

    private final TopicMapping topics;
    private final String type;
    private final String source;
    private final String contentType;
    private final int maxPayloadBytes;
    private final Routing publishedHere;
    private final JsonConverter json = new JsonConverter();

    /** @param contentType the payload's content type, or {@code null} to infer it from the value */
    SinkEvents(TopicMapping topics, String type, String source, String contentType, int maxPayloadBytes, String region,
               String brokerId) {
        this.topics = Objects.requireNonNull(topics, "topics");
        this.type = Objects.requireNonNull(type, "type");
        this.source = Objects.requireNonNull(source, "source");
        this.contentType = contentType;
        this.maxPayloadBytes = maxPayloadBytes;
        this.publishedHere = Routing.publishedAt(region, brokerId);
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false", "converter.type", "value"));
    }

    /**
     * The mesh event of {@code record}.
     *
     * @throws DataException naming what cannot be mapped
     */
    MeshEvent eventOf(SinkRecord record) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("specversion", CloudEventAttributes.SPEC_VERSION);
        attributes.put("id", record.topic() + "-" + record.kafkaPartition() + "-" + record.kafkaOffset());
        attributes.put("type", type);
        attributes.put("source", source);
        attributes.put(MeshHeaders.MESH_TOPIC_EXTENSION, topics.topicOf(record).value());
        if (record.timestamp() != null) {
            attributes.put("time", Instant.ofEpochMilli(record.timestamp()).atOffset(ZoneOffset.UTC).toString());
        }
        String key = RecordKeys.text(record.key()); // structured keys name no order: the mesh topic keys the record
        if (key != null && !key.isEmpty()) {
            // Events of one key keep their order on mesh.events, as the key kept them on the Connect topic.
            attributes.put(KafkaEventCodec.PARTITION_KEY, key);
        }
        Payload payload = payload(record);
        if (payload.bytes() != null && payload.bytes().length > maxPayloadBytes) {
            throw new DataException("record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                    + ": payload of " + payload.bytes().length + " bytes exceeds mesh.max.payload.bytes (" + maxPayloadBytes + ")");
        }
        if (payload.contentType() != null) {
            attributes.put("datacontenttype", payload.contentType());
        }
        try {
            CloudEvent event = CloudEventAttributes.build(attributes, payload.bytes(), name -> "ce_" + name);
            return new MeshEvent(event, publishedHere);
        } catch (InvalidEventException e) {
            throw new DataException("record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                    + " does not make a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    private record Payload(byte[] bytes, String contentType) {
    }

    private Payload payload(SinkRecord record) {
        Object value = record.value();
        if (value == null) {
            return new Payload(null, contentType);
        }
        if (value instanceof byte[] bytes) {
            return new Payload(bytes, orDefault("application/octet-stream"));
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return new Payload(bytes, orDefault("application/octet-stream"));
        }
        if (value instanceof String text) {
            return new Payload(text.getBytes(StandardCharsets.UTF_8), orDefault("text/plain; charset=utf-8"));
        }
        try {
            return new Payload(json.fromConnectData(record.topic(), value instanceof Struct ? record.valueSchema() : null, value),
                    orDefault("application/json"));
        } catch (DataException e) {
            throw new DataException("record " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset()
                    + ": its value cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    private String orDefault(String inferred) {
        return contentType != null ? contentType : inferred;
    }
}
