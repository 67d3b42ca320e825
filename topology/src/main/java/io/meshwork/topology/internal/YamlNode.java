package io.meshwork.topology.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshwork.topology.TopologyException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A node of the parsed YAML tree that knows its key path, so every check can blame the
 * exact key. Accessors fail with a {@link TopologyException} instead of coercing: a quoted
 * "19092" is a string, not a port, and silently accepting it would hide typos.
 */
final class YamlNode {

    private static final int MAX_VALUE_LENGTH = 80;

    private final String source;
    private final String path;
    private final JsonNode node;

    private YamlNode(String source, String path, JsonNode node) {
        this.source = source;
        this.path = path;
        this.node = node;
    }

    static YamlNode root(String source, JsonNode node) {
        return new YamlNode(source, "", node);
    }

    /** The key path, e.g. {@code regions[1].ports.kafka}; the root is {@value TopologyException#DOCUMENT_KEY}. */
    String key() {
        return path.isEmpty() ? TopologyException.DOCUMENT_KEY : path;
    }

    YamlNode requireMapping() {
        if (!node.isObject()) {
            throw wrongType("a mapping");
        }
        return this;
    }

    /** Rejects keys outside {@code allowed}: a misspelt optional key would otherwise be ignored. */
    YamlNode allowOnly(List<String> allowed) {
        requireMapping();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw child(name, node.get(name))
                        .fail("unknown field '" + name + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        return this;
    }

    YamlNode field(String name) {
        return optionalField(name).orElseThrow(() -> child(name, null).failWithoutValue("missing required field"));
    }

    Optional<YamlNode> optionalField(String name) {
        requireMapping();
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        // "key:" with nothing after it reads as an empty string here, "key: ~" as null: both mean nothing.
        if (value.isNull() || (value.isTextual() && value.textValue().isEmpty())) {
            throw child(name, value).failWithoutValue("required field has no value");
        }
        return Optional.of(child(name, value));
    }

    List<YamlNode> elements() {
        if (!node.isArray()) {
            throw wrongType("a list");
        }
        List<YamlNode> elements = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            elements.add(new YamlNode(source, path + "[" + i + "]", node.get(i)));
        }
        return elements;
    }

    String text() {
        if (!node.isTextual()) {
            throw wrongType("a string");
        }
        return node.textValue();
    }

    long integer() {
        if (!node.isIntegralNumber()) {
            throw wrongType("an integer");
        }
        if (!node.canConvertToLong()) {
            throw fail("number is too large");
        }
        return node.longValue();
    }

    /** Fails on this key, quoting its value. */
    TopologyException fail(String problem) {
        return new TopologyException(source, key(), problem, render(node));
    }

    TopologyException failWithoutValue(String problem) {
        return new TopologyException(source, key(), problem, null);
    }

    private YamlNode child(String name, JsonNode value) {
        return new YamlNode(source, path.isEmpty() ? name : path + "." + name, value);
    }

    private TopologyException wrongType(String expected) {
        return fail("expected " + expected + ", got " + describeType(node));
    }

    private static String describeType(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a decimal number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** Renders the value roughly as written in YAML flow style, short enough for one line. */
    private static String render(JsonNode node) {
        String text = renderFull(node);
        return text.length() <= MAX_VALUE_LENGTH ? text : text.substring(0, MAX_VALUE_LENGTH - 3) + "...";
    }

    private static String renderFull(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(renderFull(item)));
            return "[" + String.join(", ", items) + "]";
        }
        if (node.isObject()) {
            List<String> entries = new ArrayList<>();
            node.fields().forEachRemaining(e -> entries.add(e.getKey() + ": " + renderFull(e.getValue())));
            return "{" + String.join(", ", entries) + "}";
        }
        return node.asText();
    }
}
