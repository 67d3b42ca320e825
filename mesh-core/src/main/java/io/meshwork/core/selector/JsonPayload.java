package io.meshwork.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.Locale;

/** Reads selector-comparable fields out of a JSON object payload. */
final class JsonPayload {

    private static final ObjectReader READER = JsonMapper.builder().build().reader();

    private JsonPayload() {
    }

    /**
     * Parses a payload if it is JSON: the content type is {@code application/json} or ends in
     * {@code +json} (parameters and case ignored), or there is no content type and the payload
     * starts with <code>{</code> after optional whitespace.
     *
     * @return the payload's top-level object, or a {@link MissingNode} when the payload is not
     *     JSON, is malformed or is not an object (every field then reads as absent)
     */
    static JsonNode parseObject(byte[] payload, String contentType) {
        if (!isJson(payload, contentType)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode root = READER.readTree(payload);
            return root != null && root.isObject() ? root : MissingNode.getInstance();
        } catch (IOException | RuntimeException malformed) {
            // A publisher's broken payload is not the subscriber's error: its fields are just
            // absent, and the selector does not match.
            return MissingNode.getInstance();
        }
    }

    /**
     * The comparable value at a path of object fields.
     *
     * @return {@code String}, {@code Boolean}, {@code Long} (integral numbers that fit) or
     *     {@code Double} (other numbers); null when absent, JSON null, an object or an array
     */
    static Object field(JsonNode root, String[] path) {
        JsonNode node = root;
        for (String name : path) {
            node = node.path(name);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : (Object) node.doubleValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return null;
    }

    static boolean isJson(byte[] payload, String contentType) {
        if (contentType == null) {
            return startsWithBrace(payload);
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .strip()
                .toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static boolean startsWithBrace(byte[] payload) {
        for (byte b : payload) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }
}
