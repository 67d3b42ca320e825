package io.meshwork.core.envelope;

import io.cloudevents.CloudEvent;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;

/**
 * What a router needs of an event on Kafka, read from the record without decoding it: the id,
 * the mesh topic, the routing and, only when a selector asks, the selector fields. The record's
 * bytes and CloudEvents headers are never rebuilt, so a router forwards them untouched.
 *
 * <p>Only what routing depends on is validated ({@code ce_id}, {@code ce_meshtopic} or
 * {@code ce_type}, the routing headers), naming the header at fault; the whole CloudEvent is
 * validated once, where it enters the mesh (the edge) and where it leaves it (delivery). A
 * structured-mode record ({@code application/cloudevents+json}, rare: only plain Kafka producers
 * write it) has its attributes inside the value, so it is decoded whole.
 */
public final class KafkaEventView {

    private static final String CE_PREFIX = "ce_";
    private static final String CE_ID = CE_PREFIX + "id";
    private static final String CE_TYPE = CE_PREFIX + "type";
    private static final String CE_MESH_TOPIC = CE_PREFIX + MeshHeaders.MESH_TOPIC_EXTENSION;
    private static final String CONTENT_TYPE = "content-type";

    private final Headers headers;
    private final byte[] value;
    private final CloudEvent structured;
    private final String id;
    private final TopicName topic;
    private final Routing routing;
    private SelectorContext selectorContext;

    private KafkaEventView(Headers headers, byte[] value, CloudEvent structured, String id, TopicName topic, Routing routing) {
        this.headers = headers;
        this.value = value;
        this.structured = structured;
        this.id = id;
        this.topic = topic;
        this.routing = routing;
    }

    /**
     * Reads the event a record holds.
     *
     * @param localRegion region whose cluster the record was read from: the origin (and only
     *                    broker on the path) of an event without routing headers
     * @throws InvalidEventException naming the header that is missing or wrong
     */
    public static KafkaEventView read(Headers headers, byte[] value, String localRegion) {
        Routing routing = MeshHeaderCodec.routing(headers).orElseGet(() -> Routing.publishedAt(localRegion, localRegion));
        String contentType = MeshHeaderCodec.text(headers, CONTENT_TYPE);
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(CloudEventJson.MEDIA_TYPE)) {
            MeshEvent event = new MeshEvent(KafkaEventCodec.withMeshTopic(CloudEventJson.parse(value == null ? new byte[0] : value), CE_PREFIX),
                    routing);
            return new KafkaEventView(headers, value, event.event(), event.id(), event.topic(), routing);
        }
        return new KafkaEventView(headers, value, null, id(headers), topic(headers), routing);
    }

    private static String id(Headers headers) {
        String id = MeshHeaderCodec.text(headers, CE_ID);
        if (id == null) {
            throw new InvalidEventException(CE_ID, "missing required attribute '" + CE_ID + "'");
        }
        if (id.isEmpty()) {
            throw new InvalidEventException(CE_ID, "attribute '" + CE_ID + "' must be a non-empty string");
        }
        return id;
    }

    private static TopicName topic(Headers headers) {
        String topic = MeshHeaderCodec.text(headers, CE_MESH_TOPIC);
        if (topic != null) {
            try {
                return TopicName.of(topic);
            } catch (InvalidTopicException e) {
                throw new InvalidEventException(CE_MESH_TOPIC, e.getMessage(), e);
            }
        }
        String type = MeshHeaderCodec.text(headers, CE_TYPE);
        if (type == null || type.isEmpty()) {
            throw new InvalidEventException(CE_TYPE, type == null ? "missing required attribute '" + CE_TYPE + "'"
                    : "attribute '" + CE_TYPE + "' must be a non-empty string");
        }
        return KafkaEventCodec.topicFromType(type, CE_PREFIX);
    }

    /** The CloudEvents id. */
    public String id() {
        return id;
    }

    /** The mesh topic: {@code ce_meshtopic}, else derived from {@code ce_type}. */
    public TopicName topic() {
        return topic;
    }

    /** The routing headers, or those of an event just published in the local region when it has none. */
    public Routing routing() {
        return routing;
    }

    /** Payload size in bytes (for a structured-mode record: the whole JSON value). */
    public int payloadSize() {
        return value == null ? 0 : value.length;
    }

    /** A CloudEvents extension as the record carries it (text in binary mode), or {@code null}. */
    public Object extension(String name) {
        return structured != null ? structured.getExtension(name) : MeshHeaderCodec.text(headers, CE_PREFIX + name);
    }

    /**
     * What selectors see of this event, built on the first call only, so that events nobody
     * filters cost nothing: every CloudEvents attribute by name (the mesh topic included, derived
     * when absent) as the record carries it, and the payload.
     */
    public Supplier<SelectorContext> selectorContext() {
        return () -> {
            if (selectorContext == null) {
                selectorContext = structured != null ? new MeshEvent(structured, routing).selectorContext().get() : binaryContext();
            }
            return selectorContext;
        };
    }

    private SelectorContext binaryContext() {
        Map<String, String> attributes = KafkaEventCodec.binaryAttributes(headers);
        attributes.putIfAbsent(MeshHeaders.MESH_TOPIC_EXTENSION, topic.value());
        return SelectorContext.of(attributes, value, attributes.get("datacontenttype"));
    }
}
