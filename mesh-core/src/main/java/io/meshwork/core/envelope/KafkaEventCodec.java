package io.meshwork.core.envelope;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Maps mesh events to Kafka records and back: the CloudEvents Kafka protocol binding in binary
 * mode plus the mesh's routing headers (DESIGN.md 2.1).
 *
 * <p>Decoding is lenient where a plain Kafka producer cannot know mesh conventions (no
 * {@code ce_meshtopic}: the topic is derived from {@code ce_type}; no routing headers: the event
 * was published in this region) and strict everywhere else, naming the header at fault.
 */
public final class KafkaEventCodec {

    private static final String CE_PREFIX = "ce_";
    private static final String CONTENT_TYPE = "content-type";
    /** CloudEvents extension whose value keys an event's Kafka record (and so its order). */
    public static final String PARTITION_KEY = "partitionkey";

    private final String localRegion;
    private final String localBrokerId;

    /**
     * @param localRegion   region whose cluster the records are read from
     * @param localBrokerId id of this region's broker, the origin of events without routing headers
     */
    public KafkaEventCodec(String localRegion, String localBrokerId) {
        this.localRegion = localRegion;
        this.localBrokerId = localBrokerId;
    }

    /**
     * The record for {@code event} on {@code kafkaTopic}. The key is the CloudEvents
     * {@code partitionkey} extension when present, else the mesh topic, so that events of one
     * topic keep their order.
     */
    public ProducerRecord<String, byte[]> encode(String kafkaTopic, MeshEvent event, long timestampMs) {
        Object partitionKey = event.event().getExtension(PARTITION_KEY);
        String key = partitionKey != null ? partitionKey.toString() : event.topic().value();
        ProducerRecord<String, byte[]> record = KafkaMessageFactory
                .<String>createWriter(kafkaTopic, null, timestampMs, key)
                .writeBinary(event.event());
        MeshHeaderCodec.writeRouting(record.headers(), event.routing());
        return record;
    }

    /**
     * The mesh event held by {@code record}.
     *
     * @throws InvalidEventException naming the header that is missing or wrong
     */
    public MeshEvent decode(ConsumerRecord<?, byte[]> record) {
        return decode(record.headers(), record.value());
    }

    /**
     * The mesh event held by a record's headers and value.
     *
     * @throws InvalidEventException naming the header that is missing or wrong
     */
    public MeshEvent decode(Headers headers, byte[] value) {
        CloudEvent event;
        String contentType = lastString(headers, CONTENT_TYPE);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(CloudEventJson.MEDIA_TYPE)) {
            event = CloudEventJson.parse(value == null ? new byte[0] : value);
        } else {
            event = CloudEventAttributes.build(binaryAttributes(headers), value,
                    name -> name.equals("datacontenttype") ? CONTENT_TYPE : CE_PREFIX + name);
        }
        return new MeshEvent(withMeshTopic(event, CE_PREFIX), readRouting(headers));
    }

    /**
     * {@code event} with its {@code meshtopic} extension set, derived from the type when absent.
     *
     * @param attributePrefix how attributes are named on the caller's wire, for error messages
     */
    public static CloudEvent withMeshTopic(CloudEvent event, String attributePrefix) {
        if (event.getExtension(MeshHeaders.MESH_TOPIC_EXTENSION) != null) {
            return event;
        }
        TopicName derived = topicFromType(event.getType(), attributePrefix);
        return CloudEventBuilder.from(event).withExtension(MeshHeaders.MESH_TOPIC_EXTENSION, derived.value()).build();
    }

    /**
     * The topic an event without {@code meshtopic} is published on, derived from its type.
     *
     * @throws InvalidEventException naming the type when it gives no valid topic
     */
    static TopicName topicFromType(String type, String attributePrefix) {
        try {
            return TopicName.fromCloudEventType(type);
        } catch (InvalidTopicException e) {
            throw new InvalidEventException(attributePrefix + "type",
                    "no " + attributePrefix + MeshHeaders.MESH_TOPIC_EXTENSION + " given and the type does not form a valid topic: " + e.getMessage(), e);
        }
    }

    /** The CloudEvents attributes of a binary-mode record, by CloudEvents name, as text. */
    static Map<String, String> binaryAttributes(Headers headers) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header header : headers) {
            String name = header.key().toLowerCase(Locale.ROOT);
            if (name.startsWith(CE_PREFIX)) {
                attributes.put(name.substring(CE_PREFIX.length()), string(header));
            } else if (name.equals(CONTENT_TYPE)) {
                attributes.put("datacontenttype", string(header));
            }
        }
        return attributes;
    }

    private Routing readRouting(Headers headers) {
        return MeshHeaderCodec.routing(headers).orElseGet(() -> Routing.publishedAt(localRegion, localBrokerId));
    }

    private static String lastString(Headers headers, String key) {
        return MeshHeaderCodec.text(headers, key);
    }

    private static String string(Header header) {
        return header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
