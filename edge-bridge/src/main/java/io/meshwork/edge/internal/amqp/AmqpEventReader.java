package io.meshwork.edge.internal.amqp;

import io.cloudevents.CloudEvent;
import io.meshwork.core.envelope.CloudEventAttributes;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.mqtt.MqttEventReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.AmqpSequence;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Section;
import org.apache.qpid.proton.message.Message;

/**
 * Reads a CloudEvent from an AMQP message by the CloudEvents AMQP binding, binary mode
 * (DESIGN.md 2.6): application properties named {@code cloudEvents:<attribute>} (or
 * {@code cloudEvents_<attribute>}, the spelling JMS clients can use) are the context attributes,
 * {@code properties.content-type} is {@code datacontenttype}, and the body is the data.
 *
 * <p>The mesh topic is the sender link's target address or, on a link without one (anonymous
 * relay), the message's {@code to}; when both are given they must agree. The body is one
 * {@code data} section, or an {@code amqp-value} holding a string (sent as UTF-8) or binary, as
 * simple clients send; an {@code amqp-sequence} or any other value is refused. Application
 * properties without the prefix are not attributes and do not travel.
 *
 * <p>What an AMQP client need not send gets a default: {@code specversion} 1.0, {@code id} the
 * message-id (else a random one), {@code type} {@value #DEFAULT_TYPE} and {@code source}
 * {@code /amqp/<container id>}.
 */
final class AmqpEventReader {

    /** Type of an event whose publisher named none. */
    static final String DEFAULT_TYPE = "amqp.publish";
    /** The binding's prefix of attribute properties; {@link #JMS_PREFIX} is accepted as well. */
    static final String PREFIX = "cloudEvents:";
    static final String JMS_PREFIX = "cloudEvents_";

    private final int maxPayloadBytes;

    AmqpEventReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * @param linkAddress the sender link's target address, or {@code null} (anonymous relay)
     * @param container   the client's container id, for the default {@code source}
     * @throws Refusal naming the field at fault ({@code address}, {@code to}, {@code body},
     *                 {@code cloudEvents:<name>})
     */
    CloudEvent read(String linkAddress, String container, Message message) {
        byte[] data = body(message.getBody());
        if (data.length > maxPayloadBytes) {
            throw new Refusal(ClientError.PAYLOAD_TOO_LARGE, "body", "body of " + data.length + " bytes exceeds the limit of "
                    + maxPayloadBytes + " bytes");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        Map<String, String> wireNames = new HashMap<>();
        if (message.getApplicationProperties() != null && message.getApplicationProperties().getValue() != null) {
            for (Map.Entry<?, ?> property : ((Map<?, ?>) message.getApplicationProperties().getValue()).entrySet()) {
                String sent = String.valueOf(property.getKey());
                String name = attributeName(sent);
                if (name == null || property.getValue() == null) {
                    continue;
                }
                if (attributes.put(name, value(property.getValue())) != null) {
                    throw new Refusal(ClientError.INVALID_EVENT, sent, "application property '" + sent
                            + "' repeats attribute '" + name + "' given as '" + wireNames.get(name) + "'");
                }
                wireNames.put(name, sent);
            }
        }
        if (message.getContentType() != null) {
            Object given = attributes.putIfAbsent("datacontenttype", message.getContentType());
            if (given != null && !given.equals(message.getContentType())) {
                throw new Refusal(ClientError.INVALID_EVENT, wireNames.get("datacontenttype"), "application property '"
                        + wireNames.get("datacontenttype") + "' contradicts the content-type '" + message.getContentType() + "'");
            }
            wireNames.putIfAbsent("datacontenttype", "content-type");
        }
        putTopic(attributes, wireNames, linkAddress, message.getAddress());
        attributes.putIfAbsent("specversion", CloudEventAttributes.SPEC_VERSION);
        attributes.putIfAbsent("id", message.getMessageId() == null ? UUID.randomUUID().toString() : message.getMessageId().toString());
        attributes.putIfAbsent("type", DEFAULT_TYPE);
        attributes.putIfAbsent("source", "/amqp/" + MqttEventReader.uriSegment(container == null ? "anonymous" : container));
        try {
            return CloudEventAttributes.build(attributes, data.length == 0 ? null : data, name -> wireNames.getOrDefault(name, name));
        } catch (InvalidEventException e) {
            ClientError error = e.getCause() instanceof InvalidTopicException ? ClientError.INVALID_TOPIC : ClientError.INVALID_EVENT;
            throw new Refusal(error, e.field(), e.getMessage());
        }
    }

    private static void putTopic(Map<String, Object> attributes, Map<String, String> wireNames, String linkAddress, String to) {
        String topic = linkAddress != null ? linkAddress : to;
        String field = linkAddress != null ? "address" : "to";
        if (topic == null) {
            throw new Refusal(ClientError.INVALID_TOPIC, "to", "the sender link has no target address and the message no 'to': "
                    + "one of them names the mesh topic");
        }
        if (linkAddress != null && to != null && !to.equals(linkAddress)) {
            throw new Refusal(ClientError.CONFLICTING_TOPIC, "to", "the message's 'to' '" + to
                    + "' contradicts the link's target address '" + linkAddress + "'");
        }
        Object given = attributes.putIfAbsent(MeshHeaders.MESH_TOPIC_EXTENSION, topic);
        if (given != null && !given.equals(topic)) {
            String sent = wireNames.get(MeshHeaders.MESH_TOPIC_EXTENSION);
            throw new Refusal(ClientError.CONFLICTING_TOPIC, sent, "application property '" + sent + "'='" + given
                    + "' contradicts the " + field + " '" + topic + "'");
        }
        wireNames.putIfAbsent(MeshHeaders.MESH_TOPIC_EXTENSION, field);
    }

    private static byte[] body(Section body) {
        if (body == null) {
            throw new Refusal(ClientError.INVALID_EVENT, "body", "the message has no body: the event data travels in a data section");
        }
        if (body instanceof Data section) {
            Binary binary = section.getValue();
            return binary == null ? new byte[0] : binary.getArray().length == binary.getLength() && binary.getArrayOffset() == 0
                    ? binary.getArray() : java.util.Arrays.copyOfRange(binary.getArray(), binary.getArrayOffset(),
                    binary.getArrayOffset() + binary.getLength());
        }
        if (body instanceof AmqpValue value) {
            if (value.getValue() instanceof String text) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            if (value.getValue() instanceof Binary binary) {
                return body(new Data(binary));
            }
            throw new Refusal(ClientError.UNSUPPORTED_MEDIA_TYPE, "body", "an amqp-value body of type "
                    + (value.getValue() == null ? "null" : value.getValue().getClass().getSimpleName())
                    + " is not supported: send the event data in a data section (or an amqp-value string or binary)");
        }
        String kind = body instanceof AmqpSequence ? "amqp-sequence" : body.getClass().getSimpleName();
        throw new Refusal(ClientError.UNSUPPORTED_MEDIA_TYPE, "body", "an " + kind
                + " body is not supported: send the event data in a data section");
    }

    /** AMQP types a CloudEvents attribute can hold: strings, booleans, integers; a timestamp as RFC 3339. */
    private static Object value(Object value) {
        if (value instanceof Date date) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(date.getTime()).atOffset(ZoneOffset.UTC));
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof Binary || value instanceof java.net.URI || value instanceof org.apache.qpid.proton.amqp.Symbol) {
            return value.toString();
        }
        return value;
    }

    /** The attribute a property of this name sets, or {@code null} when it sets none. */
    static String attributeName(String property) {
        if (property.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || property.regionMatches(true, 0, JMS_PREFIX, 0, JMS_PREFIX.length())) {
            return property.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
