package io.meshwork.edge.internal.mqtt;

import io.cloudevents.CloudEvent;
import io.meshwork.core.envelope.CloudEventAttributes;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads a CloudEvent from an MQTT PUBLISH, following the CloudEvents MQTT 5 binding in binary
 * mode: the MQTT topic is the mesh topic, user properties are context attributes (named as in
 * CloudEvents, {@code ce-} accepted as a prefix, any case), the MQTT 5 content type is
 * {@code datacontenttype} and the payload is the data.
 *
 * <p>The PUBLISH's own properties travel as well, in the attributes of {@link MqttAttributes},
 * so that MQTT subscribers anywhere in the mesh get them back as sent: every user property in
 * order (also those whose names cannot be CloudEvents attributes, such as {@code Content-Language},
 * which become only that), payload format indicator, message expiry, response topic and
 * correlation data. A user property named as one of those attributes is kept as a user property
 * only: the edge alone sets them.
 *
 * <p>What an MQTT client cannot be expected to send gets a default: {@code specversion} 1.0, a
 * random {@code id}, {@code type} {@value #DEFAULT_TYPE} and {@code source}
 * {@code /mqtt/<client id>}. An MQTT 3.1.1 PUBLISH has no properties, so it always gets them.
 */
public final class MqttEventReader {

    /** Type of an event whose publisher named none. */
    public static final String DEFAULT_TYPE = "mqtt.publish";
    /** User property the edge adds to deliveries; the path is the mesh's to set, so it is ignored on publish. */
    public static final String ROUTING_PATH_PROPERTY = "mesh-routing-path";

    private static final String PREFIX = "ce-";
    private static final String TOPIC_FIELD = "topic";
    private static final String CONTENT_TYPE_FIELD = "content type";

    /** Attributes an event has once: repeating one with another value is a contradiction. */
    private static final Set<String> CONTEXT_ATTRIBUTES = Set.of("specversion", "id", "source", "type", "time", "subject",
            "datacontenttype", "dataschema", MeshHeaders.MESH_TOPIC_EXTENSION);
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,64}");

    private final int maxPayloadBytes;

    public MqttEventReader(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * @param clientId       the publishing client
     * @param topic          the PUBLISH topic
     * @param contentType    the MQTT 5 content type, or {@code null}
     * @param userProperties the MQTT 5 user properties as (name, value) pairs, in packet order
     * @param payload        the payload, possibly empty
     * @return the event with its {@code meshtopic} set
     * @throws Refusal naming the property (or {@code topic}, {@code payload}) at fault: {@code INVALID_TOPIC},
     *                 {@code CONFLICTING_TOPIC}, {@code PAYLOAD_TOO_LARGE} or {@code INVALID_EVENT}
     */
    public CloudEvent read(String clientId, String topic, String contentType, List<Map.Entry<String, String>> userProperties,
                           byte[] payload) {
        return read(clientId, topic, MqttMessageProperties.of(contentType, userProperties), payload);
    }

    /**
     * Reads a PUBLISH with all its MQTT 5 properties.
     *
     * @see #read(String, String, String, List, byte[])
     */
    CloudEvent read(String clientId, String topic, MqttMessageProperties message, byte[] payload) {
        String contentType = message.contentType();
        if (payload.length > maxPayloadBytes) {
            throw new Refusal(ClientError.PAYLOAD_TOO_LARGE, "payload", "payload of " + payload.length + " bytes exceeds the limit of "
                    + maxPayloadBytes + " bytes");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        // Errors name the field as the client sent it: the user property's own spelling.
        Map<String, String> wireNames = new HashMap<>();
        for (Map.Entry<String, String> property : message.userProperties()) {
            String sent = property.getKey();
            String name = attributeName(sent);
            if (!becomesAttribute(sent, name)) {
                continue;
            }
            Object earlier = attributes.putIfAbsent(name, property.getValue());
            // MQTT allows a name twice: an extension keeps its first value, a context attribute must not contradict itself.
            if (earlier != null && !earlier.equals(property.getValue()) && CONTEXT_ATTRIBUTES.contains(name)) {
                throw new Refusal(ClientError.INVALID_EVENT, sent, "user property '" + sent + "' conflicts with user property '"
                        + wireNames.get(name) + "' (both give CloudEvents attribute '" + name + "')");
            }
            wireNames.putIfAbsent(name, sent);
        }
        if (contentType != null) {
            Object given = attributes.putIfAbsent("datacontenttype", contentType);
            if (given != null && !given.equals(contentType)) {
                throw new Refusal(ClientError.INVALID_EVENT, wireNames.get("datacontenttype"), "user property '" + wireNames.get("datacontenttype")
                        + "' contradicts the MQTT content type '" + contentType + "'");
            }
            wireNames.putIfAbsent("datacontenttype", CONTENT_TYPE_FIELD);
        }
        Object givenTopic = attributes.putIfAbsent(MeshHeaders.MESH_TOPIC_EXTENSION, topic);
        if (givenTopic != null && !givenTopic.equals(topic)) {
            String sent = wireNames.get(MeshHeaders.MESH_TOPIC_EXTENSION);
            throw new Refusal(ClientError.CONFLICTING_TOPIC, sent, "user property '" + sent + "'='" + givenTopic
                    + "' contradicts the PUBLISH topic '" + topic + "'");
        }
        wireNames.putIfAbsent(MeshHeaders.MESH_TOPIC_EXTENSION, TOPIC_FIELD);
        attributes.putIfAbsent("specversion", CloudEventAttributes.SPEC_VERSION);
        attributes.putIfAbsent("id", UUID.randomUUID().toString());
        attributes.putIfAbsent("type", DEFAULT_TYPE);
        attributes.putIfAbsent("source", "/mqtt/" + uriSegment(clientId));
        putMqttProperties(attributes, clientId, message);
        try {
            return CloudEventAttributes.build(attributes, payload.length == 0 ? null : payload,
                    name -> wireNames.getOrDefault(name, name));
        } catch (InvalidEventException e) {
            // The PUBLISH topic (or a meshtopic property) is the only attribute checked as a topic name.
            ClientError error = e.getCause() instanceof InvalidTopicException ? ClientError.INVALID_TOPIC : ClientError.INVALID_EVENT;
            throw new Refusal(error, e.field(), e.getMessage());
        }
    }

    /** MQTT's own properties, always set by the edge whatever a user property said. */
    private static void putMqttProperties(Map<String, Object> attributes, String clientId, MqttMessageProperties message) {
        attributes.put(MqttAttributes.USER_PROPERTIES, MqttUserProperties.encode(message.userProperties()));
        attributes.put(MqttAttributes.CLIENT_ID, clientId);
        if (message.payloadFormat() != null) {
            attributes.put(MqttAttributes.PAYLOAD_FORMAT, message.payloadFormat());
        }
        if (message.messageExpiry() != null) {
            // A string: the interval is unsigned 32-bit, a CloudEvents integer is signed.
            attributes.put(MqttAttributes.MESSAGE_EXPIRY, Long.toString(message.messageExpiry()));
        }
        if (message.responseTopic() != null) {
            attributes.put(MqttAttributes.RESPONSE_TOPIC, message.responseTopic());
        }
        if (message.correlationData() != null) {
            attributes.put(MqttAttributes.CORRELATION_DATA, Base64.getEncoder().encodeToString(message.correlationData()));
        }
    }

    /**
     * Whether a user property also sets a CloudEvents attribute: a {@code ce-} prefix says it must
     * (and a bad name is refused); otherwise only a name CloudEvents allows does. The routing path
     * and the MQTT attributes are the mesh's to set.
     */
    private static boolean becomesAttribute(String sent, String name) {
        if (name.equals(ROUTING_PATH_PROPERTY) || MqttAttributes.isBookkeeping(name)) {
            return false;
        }
        return sent.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || ATTRIBUTE_NAME.matcher(name).matches();
    }

    /** The CloudEvents attribute a user property of this name sets, if it sets one. */
    static String attributeName(String propertyName) {
        String name = propertyName.toLowerCase(Locale.ROOT);
        return name.startsWith(PREFIX) ? name.substring(PREFIX.length()) : name;
    }

    /** Percent-encodes a client id so that {@code /mqtt/<id>} is always a valid URI-reference. */
    public static String uriSegment(String clientId) {
        StringBuilder encoded = new StringBuilder(clientId.length());
        for (byte b : clientId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
