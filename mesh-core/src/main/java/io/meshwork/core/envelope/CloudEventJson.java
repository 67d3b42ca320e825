package io.meshwork.core.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the CloudEvents JSON event format (structured mode, {@code application/cloudevents+json})
 * with errors that name the JSON member at fault.
 */
public final class CloudEventJson {

    /** Media type of a structured-mode event. */
    public static final String MEDIA_TYPE = "application/cloudevents+json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CloudEventJson() {
    }

    /**
     * Parses one structured-mode event.
     *
     * @throws InvalidEventException naming {@code body} for malformed JSON, or the member at fault
     */
    public static CloudEvent parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("body", "malformed JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InvalidEventException("body", "unreadable JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidEventException("body", "a structured CloudEvent must be a JSON object");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        JsonNode data = null;
        JsonNode dataBase64 = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            switch (member.getKey()) {
                case "data" -> data = member.getValue();
                case "data_base64" -> dataBase64 = member.getValue();
                default -> attributes.put(member.getKey(), attributeValue(member.getKey(), member.getValue()));
            }
        }
        byte[] payload = payload(attributes, data, dataBase64);
        return CloudEventAttributes.build(attributes, payload, name -> name);
    }

    private static Object attributeValue(String name, JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isNull()) {
            throw new InvalidEventException(name, "attribute '" + name + "' must not be null");
        }
        throw new InvalidEventException(name, "attribute '" + name + "' must be a string, boolean or 32-bit integer, was " + value.getNodeType());
    }

    private static byte[] payload(Map<String, Object> attributes, JsonNode data, JsonNode dataBase64) {
        if (data != null && dataBase64 != null) {
            throw new InvalidEventException("data_base64", "an event carries either 'data' or 'data_base64', not both");
        }
        if (dataBase64 != null) {
            if (!dataBase64.isTextual()) {
                throw new InvalidEventException("data_base64", "'data_base64' must be a base64 string");
            }
            try {
                return Base64.getDecoder().decode(dataBase64.textValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidEventException("data_base64", "'data_base64' is not valid base64: " + e.getMessage());
            }
        }
        if (data == null || data.isNull()) {
            return null;
        }
        Object contentType = attributes.get("datacontenttype");
        if (contentType == null) {
            // The JSON event format: data without a content type is JSON.
            attributes.put("datacontenttype", "application/json");
        } else if (data.isTextual() && contentType instanceof String && !isJson((String) contentType)) {
            return data.textValue().getBytes(StandardCharsets.UTF_8);
        }
        try {
            return MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("data", "cannot serialise 'data': " + e.getOriginalMessage());
        }
    }

    /** Whether a media type is JSON ({@code application/json} or any {@code +json} suffix). */
    public static boolean isJson(String mediaType) {
        String base = mediaType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json") || base.equals("text/json");
    }
}
