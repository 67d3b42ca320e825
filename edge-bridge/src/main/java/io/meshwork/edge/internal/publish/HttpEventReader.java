package io.meshwork.edge.internal.publish;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.envelope.CloudEventAttributes;
import io.meshwork.core.envelope.CloudEventJson;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a CloudEvent from a publish request in either mode of the CloudEvents HTTP binding:
 * binary ({@code ce-*} headers, payload = body) or structured
 * ({@code application/cloudevents+json}). Every refusal names the header, member or parameter at
 * fault.
 */
public final class HttpEventReader {

    static final String BINARY_PREFIX = "ce-";
    private static final String BATCH_MEDIA_TYPE = "application/cloudevents-batch+json";
    private static final String STRUCTURED_PREFIX = "application/cloudevents";

    private final int maxPayloadBytes;

    public HttpEventReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * @param headers    request headers, any case
     * @param queryTopic the {@code topic} query parameter, or {@code null}
     * @param body       request body
     * @return the event, with its {@code meshtopic} extension set
     * @throws Refusal naming the field at fault: {@code INVALID_EVENT}, {@code PAYLOAD_TOO_LARGE},
     *                 {@code UNSUPPORTED_MEDIA_TYPE}, {@code INVALID_TOPIC} or {@code CONFLICTING_TOPIC}
     */
    public CloudEvent read(Map<String, String> headers, String queryTopic, byte[] body) {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((name, value) -> lower.putIfAbsent(name.toLowerCase(Locale.ROOT), value));
        String contentType = lower.get("content-type");
        try {
            CloudEvent event = isStructured(contentType) ? structured(contentType, body) : binary(lower, contentType, body);
            return withTopic(event, queryTopic, isStructured(contentType) ? "" : BINARY_PREFIX);
        } catch (InvalidEventException e) {
            throw new Refusal(ClientError.INVALID_EVENT, e.field(), e.getMessage());
        }
    }

    private static boolean isStructured(String contentType) {
        return contentType != null && contentType.trim().toLowerCase(Locale.ROOT).startsWith(STRUCTURED_PREFIX);
    }

    private CloudEvent structured(String contentType, byte[] body) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals(BATCH_MEDIA_TYPE)) {
            throw new Refusal(ClientError.UNSUPPORTED_MEDIA_TYPE, "content-type",
                    "batched mode (" + BATCH_MEDIA_TYPE + ") is not supported; publish one event per request");
        }
        if (!mediaType.equals(CloudEventJson.MEDIA_TYPE)) {
            throw new Refusal(ClientError.UNSUPPORTED_MEDIA_TYPE, "content-type",
                    "structured event format '" + mediaType + "' is not supported; use " + CloudEventJson.MEDIA_TYPE
                            + " or binary mode");
        }
        CloudEvent event = CloudEventJson.parse(body);
        checkPayloadSize(event.getData() == null ? 0 : event.getData().toBytes().length, "data");
        return event;
    }

    private CloudEvent binary(Map<String, String> headers, String contentType, byte[] body) {
        checkPayloadSize(body.length, "body");
        Map<String, Object> attributes = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(BINARY_PREFIX)) {
                attributes.put(name.substring(BINARY_PREFIX.length()), value);
            }
        });
        if (contentType != null) {
            attributes.put("datacontenttype", contentType);
        }
        String traceparent = headers.get("traceparent");
        if (traceparent != null && !attributes.containsKey("traceparent")) {
            // W3C trace context travels as the CloudEvents distributed-tracing extension.
            attributes.put("traceparent", traceparent);
        }
        return CloudEventAttributes.build(attributes, body.length == 0 ? null : body,
                name -> name.equals("datacontenttype") ? "content-type" : BINARY_PREFIX + name);
    }

    private void checkPayloadSize(int size, String field) {
        if (size > maxPayloadBytes) {
            throw new Refusal(ClientError.PAYLOAD_TOO_LARGE, field,
                    "payload of " + size + " bytes exceeds the limit of " + maxPayloadBytes + " bytes");
        }
    }

    private static CloudEvent withTopic(CloudEvent event, String queryTopic, String attributePrefix) {
        if (queryTopic == null) {
            return KafkaEventCodec.withMeshTopic(event, attributePrefix);
        }
        TopicName topic;
        try {
            topic = TopicName.of(queryTopic);
        } catch (InvalidTopicException e) {
            throw new Refusal(ClientError.INVALID_TOPIC, "topic", e.getMessage());
        }
        Object given = event.getExtension(MeshHeaders.MESH_TOPIC_EXTENSION);
        if (given != null && !given.equals(topic.value())) {
            throw new Refusal(ClientError.CONFLICTING_TOPIC, "topic", "query parameter topic='" + topic.value()
                    + "' contradicts " + attributePrefix + MeshHeaders.MESH_TOPIC_EXTENSION + "='" + given + "'");
        }
        return CloudEventBuilder.from(event).withExtension(MeshHeaders.MESH_TOPIC_EXTENSION, topic.value()).build();
    }
}
