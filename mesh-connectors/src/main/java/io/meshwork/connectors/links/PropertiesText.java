package io.meshwork.connectors.links;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes properties as {@code .properties} text that {@code java.util.Properties.load} (and so
 * {@code connect-mirror-maker.sh}) reads back exactly: sorted, so that two renderings of the same
 * links diff cleanly, and escaped where {@code Properties.load} would otherwise change the text:
 * the topic regexes hold backslashes, which load reads as escapes.
 */
final class PropertiesText {

    private PropertiesText() {
    }

    static String render(List<String> headerComments, Map<String, String> properties) {
        StringBuilder text = new StringBuilder();
        for (String comment : headerComments) {
            text.append("# ").append(comment).append('\n');
        }
        text.append('\n');
        new TreeMap<>(properties).forEach((key, value) ->
                text.append(escape(key, true)).append('=').append(escape(value, false)).append('\n'));
        return text.toString();
    }

    private static String escape(String text, boolean isKey) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\t' -> escaped.append("\\t");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\f' -> escaped.append("\\f");
                // Separators and comment marks only mean something in a key; values stay readable.
                case '=', ':', '#', '!' -> escaped.append(isKey ? "\\" : "").append(c);
                // Leading spaces of a value, and any space of a key, would be dropped or split on load.
                case ' ' -> escaped.append(isKey || i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        // connect-mirror-maker.sh loads the file as ISO-8859-1.
                        escaped.append(String.format("\\u%04X", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
