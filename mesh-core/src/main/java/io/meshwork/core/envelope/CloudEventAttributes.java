package io.meshwork.core.envelope;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Builds a CloudEvents 1.0 event from the raw context attributes a client sent, checking each
 * rule of the spec so that a bad input is rejected with the name of the field at fault rather
 * than the SDK's generic exception.
 *
 * <p>One rule set serves every binding: HTTP binary mode ({@code ce-id} headers), HTTP structured
 * mode (JSON members) and the Kafka binding; the caller tells how an attribute is named on its
 * wire.
 */
public final class CloudEventAttributes {

    /** The only CloudEvents version the mesh speaks. */
    public static final String SPEC_VERSION = "1.0";

    private static final Set<String> REQUIRED = Set.of("specversion", "id", "source", "type");
    private static final Set<String> KNOWN = Set.of(
            "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "dataschema");
    // CloudEvents 1.0: attribute names consist of lower-case ASCII letters and digits only.
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,64}");

    private CloudEventAttributes() {
    }

    /**
     * Validates the attributes and builds the event.
     *
     * @param attributes context attributes and extensions by CloudEvents name; values are
     *                   strings, or booleans and integers for extensions from JSON
     * @param data       payload, or {@code null} for none
     * @param wireName   maps a CloudEvents attribute name to the field name the client used
     * @throws InvalidEventException naming the first field that breaks a rule
     */
    public static CloudEvent build(Map<String, ?> attributes, byte[] data, UnaryOperator<String> wireName) {
        for (String required : REQUIRED) {
            Object value = attributes.get(required);
            if (value == null) {
                throw new InvalidEventException(wireName.apply(required), "missing required attribute '" + wireName.apply(required) + "'");
            }
            if (!(value instanceof String) || ((String) value).isEmpty()) {
                throw new InvalidEventException(wireName.apply(required), "attribute '" + wireName.apply(required) + "' must be a non-empty string");
            }
        }
        String specVersion = (String) attributes.get("specversion");
        if (!SPEC_VERSION.equals(specVersion)) {
            throw new InvalidEventException(wireName.apply("specversion"),
                    "unsupported CloudEvents specversion '" + specVersion + "'; the mesh accepts " + SPEC_VERSION);
        }
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId((String) attributes.get("id"))
                .withType((String) attributes.get("type"))
                .withSource(uri(attributes, "source", wireName));
        String time = optionalString(attributes, "time", wireName);
        if (time != null) {
            builder.withTime(time(time, wireName));
        }
        String subject = optionalString(attributes, "subject", wireName);
        if (subject != null) {
            builder.withSubject(subject);
        }
        String dataSchema = optionalString(attributes, "dataschema", wireName);
        if (dataSchema != null) {
            builder.withDataSchema(uri(attributes, "dataschema", wireName));
        }
        String contentType = optionalString(attributes, "datacontenttype", wireName);
        if (data != null) {
            builder.withData(contentType, data);
        } else if (contentType != null) {
            builder.withDataContentType(contentType);
        }
        for (Map.Entry<String, ?> attribute : attributes.entrySet()) {
            String name = attribute.getKey();
            if (!KNOWN.contains(name)) {
                addExtension(builder, name, attribute.getValue(), wireName);
            }
        }
        return builder.build();
    }

    private static void addExtension(CloudEventBuilder builder, String name, Object value, UnaryOperator<String> wireName) {
        if (!ATTRIBUTE_NAME.matcher(name).matches()) {
            throw new InvalidEventException(wireName.apply(name),
                    "invalid extension attribute name '" + wireName.apply(name) + "': CloudEvents names use only a-z and 0-9");
        }
        if (MeshHeaders.MESH_TOPIC_EXTENSION.equals(name)) {
            if (!(value instanceof String)) {
                throw new InvalidEventException(wireName.apply(name), "attribute '" + wireName.apply(name) + "' must be a string");
            }
            try {
                TopicName.of((String) value);
            } catch (InvalidTopicException e) {
                throw new InvalidEventException(wireName.apply(name), e.getMessage(), e);
            }
        }
        if (value instanceof Boolean) {
            builder.withExtension(name, (Boolean) value);
        } else if (value instanceof Integer || value instanceof Long && (Long) value == ((Long) value).intValue()) {
            builder.withExtension(name, ((Number) value).intValue());
        } else if (value instanceof String) {
            builder.withExtension(name, (String) value);
        } else {
            throw new InvalidEventException(wireName.apply(name),
                    "extension '" + wireName.apply(name) + "' must be a string, boolean or 32-bit integer");
        }
    }

    private static String optionalString(Map<String, ?> attributes, String name, UnaryOperator<String> wireName) {
        Object value = attributes.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String) || ((String) value).isEmpty()) {
            throw new InvalidEventException(wireName.apply(name), "attribute '" + wireName.apply(name) + "' must be a non-empty string when present");
        }
        return (String) value;
    }

    private static URI uri(Map<String, ?> attributes, String name, UnaryOperator<String> wireName) {
        String value = (String) attributes.get(name);
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidEventException(wireName.apply(name),
                    "attribute '" + wireName.apply(name) + "' is not a URI-reference: " + e.getReason() + " at index " + e.getIndex());
        }
    }

    private static OffsetDateTime time(String value, UnaryOperator<String> wireName) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(wireName.apply("time"),
                    "attribute '" + wireName.apply("time") + "' is not an RFC 3339 timestamp: '" + value + "'");
        }
    }
}
