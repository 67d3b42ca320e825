package io.meshwork.edge.internal.publish;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.envelope.CloudEventAttributes;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.schema.v1.PublishRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a gRPC {@code PublishRequest} into a CloudEvent with its mesh topic, by the rules every
 * other binding uses ({@link CloudEventAttributes}); a refusal names the request field at fault
 * ({@code event_id}, {@code type}, {@code topic}, {@code extensions.<name>}, {@code payload_bytes}).
 *
 * <p>proto3 cannot tell an empty string from an absent one, so empty attributes count as absent:
 * a request without {@code type} is "missing required attribute 'type'".
 */
public final class PublishRequestReader {

    private static final String EXTENSIONS = "extensions";
    // Attribute name -> request field, where they differ. Extensions are "extensions.<name>".
    private static final Map<String, String> FIELDS = Map.of(
            "id", "event_id",
            "datacontenttype", "content_type",
            "dataschema", "data_schema",
            "specversion", "specversion",
            "type", "type",
            "source", "source",
            "time", "time",
            "subject", "subject");

    private final int maxPayloadBytes;

    public PublishRequestReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * @param traceparent the call's {@code traceparent} metadata, or {@code null}; the
     *                    {@code traceparent} extension wins when both are given
     * @return the event, with its {@code meshtopic} extension set
     * @throws Refusal naming the request field at fault: {@code INVALID_EVENT}, {@code PAYLOAD_TOO_LARGE},
     *                 {@code INVALID_TOPIC} or {@code CONFLICTING_TOPIC}
     */
    public CloudEvent read(PublishRequest request, String traceparent) {
        int size = request.getPayloadBytes().size();
        if (size > maxPayloadBytes) {
            throw new Refusal(ClientError.PAYLOAD_TOO_LARGE, "payload_bytes",
                    "payload of " + size + " bytes exceeds the limit of " + maxPayloadBytes + " bytes");
        }
        try {
            return withTopic(event(request, traceparent, size), request.getTopic());
        } catch (InvalidEventException e) {
            throw new Refusal(ClientError.INVALID_EVENT, e.field(), e.getMessage());
        }
    }

    private static CloudEvent event(PublishRequest request, String traceparent, int size) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("specversion", CloudEventAttributes.SPEC_VERSION);
        putPresent(attributes, "id", request.getEventId());
        putPresent(attributes, "type", request.getType());
        putPresent(attributes, "source", request.getSource());
        putPresent(attributes, "datacontenttype", request.getContentType());
        putPresent(attributes, "time", request.getTime());
        putPresent(attributes, "subject", request.getSubject());
        putPresent(attributes, "dataschema", request.getDataSchema());
        request.getExtensionsMap().forEach((name, value) -> {
            if (name.equals("specversion")) {
                throw new InvalidEventException(EXTENSIONS + "." + name,
                        "'specversion' is implied: the mesh accepts CloudEvents " + CloudEventAttributes.SPEC_VERSION + " only");
            }
            if (FIELDS.containsKey(name)) {
                throw new InvalidEventException(EXTENSIONS + "." + name, "'" + name
                        + "' is a CloudEvents context attribute, not an extension; set the request field "
                        + FIELDS.get(name) + " instead");
            }
            attributes.put(name, value);
        });
        if (traceparent != null && !traceparent.isEmpty()) {
            attributes.putIfAbsent("traceparent", traceparent);
        }
        byte[] data = size == 0 ? null : request.getPayloadBytes().toByteArray();
        return CloudEventAttributes.build(attributes, data, PublishRequestReader::field);
    }

    private static void putPresent(Map<String, Object> attributes, String name, String value) {
        if (!value.isEmpty()) {
            attributes.put(name, value);
        }
    }

    private static String field(String attribute) {
        return FIELDS.getOrDefault(attribute, EXTENSIONS + "." + attribute);
    }

    private static CloudEvent withTopic(CloudEvent event, String requested) {
        if (requested.isEmpty()) {
            return KafkaEventCodec.withMeshTopic(event, "");
        }
        TopicName topic;
        try {
            topic = TopicName.of(requested);
        } catch (InvalidTopicException e) {
            throw new Refusal(ClientError.INVALID_TOPIC, "topic", e.getMessage());
        }
        Object given = event.getExtension(MeshHeaders.MESH_TOPIC_EXTENSION);
        if (given != null && !given.equals(topic.value())) {
            throw new Refusal(ClientError.CONFLICTING_TOPIC, "topic", "topic '" + topic.value() + "' contradicts "
                    + field(MeshHeaders.MESH_TOPIC_EXTENSION) + " '" + given + "'");
        }
        return CloudEventBuilder.from(event).withExtension(MeshHeaders.MESH_TOPIC_EXTENSION, topic.value()).build();
    }
}
