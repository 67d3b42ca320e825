package io.meshwork.connectors.mesh;

import java.nio.charset.StandardCharsets;

/** A Connect record key as text, for the two things a key can name: a mesh topic and an order. */
final class RecordKeys {

    private RecordKeys() {
    }

    /** The key as text: strings, numbers and booleans as written, bytes as UTF-8; {@code null} for none or a structured key. */
    static String text(Object key) {
        if (key instanceof String || key instanceof Number || key instanceof Boolean) {
            return key.toString();
        }
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return null;
    }
}
