package io.meshwork.edge.internal.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * An Avro schema checking payloads in either Avro encoding, as the event's content type says:
 * {@code application/avro} or {@code avro/binary} is Avro's binary encoding (decoded whole; a
 * failure names no field, as binary Avro has none to name), anything else is Avro's JSON encoding,
 * walked value by value so that a violation names its JSON pointer. In the JSON encoding a union
 * value other than null is an object with one key, the branch's type name ({@code {"string": "x"}}).
 */
final class AvroCheck implements PayloadSchema {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema schema;

    private AvroCheck(Schema schema) {
        this.schema = schema;
    }

    /**
     * Parses {@code schemaText}.
     *
     * @throws IllegalArgumentException when it is not an Avro schema
     */
    static AvroCheck compile(String schemaText) {
        try {
            return new AvroCheck(new Schema.Parser().parse(schemaText));
        } catch (AvroRuntimeException e) { // SchemaParseException too
            throw new IllegalArgumentException("not an Avro schema: " + e.getMessage(), e);
        }
    }

    /** Whether {@code contentType} names Avro's binary encoding. */
    static boolean isBinary(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/avro") || type.equals("avro/binary");
    }

    @Override
    public Optional<Violation> check(byte[] payload, String contentType) {
        return isBinary(contentType) ? checkBinary(payload) : checkJson(payload);
    }

    private Optional<Violation> checkBinary(byte[] payload) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, null);
            new GenericDatumReader<>(schema).read(null, decoder);
            if (!decoder.isEnd()) {
                return Optional.of(new Violation("", "the binary Avro payload has bytes left after one " + schema.getFullName()));
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of(new Violation("", "the payload is not binary Avro of " + schema.getFullName() + ": " + e.getMessage()));
        }
    }

    private Optional<Violation> checkJson(byte[] payload) {
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            return Optional.of(new Violation("", "the payload is not JSON-encoded Avro: " + e.getOriginalMessage()));
        } catch (IOException e) {
            return Optional.of(new Violation("", "the payload is not JSON-encoded Avro: " + e.getMessage()));
        }
        return walk(schema, node == null || node.isMissingNode() ? JSON.nullNode() : node, "");
    }

    private static Optional<Violation> walk(Schema schema, JsonNode node, String pointer) {
        return switch (schema.getType()) {
            case RECORD -> record(schema, node, pointer);
            case ENUM -> node.isTextual() && schema.getEnumSymbols().contains(node.textValue()) ? Optional.empty()
                    : fail(pointer, "must be one of " + schema.getEnumSymbols() + " (enum " + schema.getFullName() + ")", node);
            case ARRAY -> array(schema, node, pointer);
            case MAP -> map(schema, node, pointer);
            case UNION -> union(schema, node, pointer);
            case FIXED -> node.isTextual() && node.textValue().length() == schema.getFixedSize() ? Optional.empty()
                    : fail(pointer, "must be a string of " + schema.getFixedSize() + " bytes (fixed " + schema.getFullName() + ")", node);
            case STRING, BYTES -> node.isTextual() ? Optional.empty() : fail(pointer, "must be a string", node);
            case BOOLEAN -> node.isBoolean() ? Optional.empty() : fail(pointer, "must be a boolean", node);
            case INT -> node.isIntegralNumber() && node.canConvertToInt() ? Optional.empty() : fail(pointer, "must be an int", node);
            case LONG -> node.isIntegralNumber() && node.canConvertToLong() ? Optional.empty() : fail(pointer, "must be a long", node);
            case FLOAT, DOUBLE -> node.isNumber() ? Optional.empty()
                    : fail(pointer, "must be a " + schema.getType().getName(), node);
            case NULL -> node.isNull() ? Optional.empty() : fail(pointer, "must be null", node);
        };
    }

    private static Optional<Violation> record(Schema schema, JsonNode node, String pointer) {
        if (!node.isObject()) {
            return fail(pointer, "must be an object (record " + schema.getFullName() + ")", node);
        }
        for (Schema.Field field : schema.getFields()) {
            String at = Violation.child(pointer, field.name());
            JsonNode value = node.get(field.name());
            if (value == null) {
                if (!field.hasDefaultValue()) {
                    return Optional.of(new Violation(at, "required field is missing (record " + schema.getFullName() + ")"));
                }
                continue;
            }
            Optional<Violation> violation = walk(field.schema(), value, at);
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> array(Schema schema, JsonNode node, String pointer) {
        if (!node.isArray()) {
            return fail(pointer, "must be an array", node);
        }
        for (int i = 0; i < node.size(); i++) {
            Optional<Violation> violation = walk(schema.getElementType(), node.get(i), pointer + "/" + i);
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> map(Schema schema, JsonNode node, String pointer) {
        if (!node.isObject()) {
            return fail(pointer, "must be an object (map)", node);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Optional<Violation> violation = walk(schema.getValueType(), entry.getValue(), Violation.child(pointer, entry.getKey()));
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    private static Optional<Violation> union(Schema schema, JsonNode node, String pointer) {
        if (node.isNull()) {
            return schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.NULL) ? Optional.empty()
                    : fail(pointer, "must not be null (union " + branchNames(schema) + ")", node);
        }
        if (node.isObject() && node.size() == 1) {
            String name = node.fieldNames().next();
            for (Schema branch : schema.getTypes()) {
                if (branch.getFullName().equals(name) || branch.getName().equals(name)) {
                    return walk(branch, node.get(name), Violation.child(pointer, name));
                }
            }
        }
        return fail(pointer, "must be null or an object with one key naming a branch of union " + branchNames(schema)
                + " (Avro's JSON encoding, e.g. {\"string\": \"x\"})", node);
    }

    private static String branchNames(Schema union) {
        return union.getTypes().stream().map(Schema::getFullName).toList().toString();
    }

    private static Optional<Violation> fail(String pointer, String rule, JsonNode node) {
        return Optional.of(new Violation(pointer, rule + ", not " + kind(node)));
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "the integer " + node.asText() : "the number " + node.asText();
            case BOOLEAN -> node.asText();
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
