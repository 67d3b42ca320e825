package io.meshwork.edge.internal.schema;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A JSON Schema (any draft networknt reads; 2020-12 when the schema names none) checking JSON
 * payloads. A payload that is not JSON at all breaks it at the root.
 */
final class JsonSchemaCheck implements PayloadSchema {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Schema schema;

    private JsonSchemaCheck(Schema schema) {
        this.schema = schema;
    }

    /**
     * Compiles {@code schemaText}.
     *
     * @throws IllegalArgumentException when it is not a JSON Schema
     */
    static JsonSchemaCheck compile(String schemaText) {
        try {
            Schema schema = REGISTRY.getSchema(schemaText, InputFormat.JSON);
            schema.initializeValidators(); // resolve now, so that a broken schema fails here and not on a publish
            return new JsonSchemaCheck(schema);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON Schema: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Violation> check(byte[] payload, String contentType) {
        String text = payload.length == 0 ? "null" : new String(payload, StandardCharsets.UTF_8);
        List<Error> errors;
        try {
            errors = schema.validate(text, InputFormat.JSON);
        } catch (RuntimeException notJson) {
            return Optional.of(new Violation("", "the payload is not JSON, as its schema requires"));
        }
        // The shallowest error first: a missing object explains the errors beneath it.
        return errors.stream()
                .min(Comparator.comparingInt((Error error) -> error.getInstanceLocation().getNameCount()))
                .map(JsonSchemaCheck::violation);
    }

    private static Violation violation(Error error) {
        String pointer = "";
        for (int i = 0; i < error.getInstanceLocation().getNameCount(); i++) {
            pointer = Violation.child(pointer, String.valueOf(error.getInstanceLocation().getElement(i)));
        }
        // "required" reports the object that lacks the property; name the property itself.
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            pointer = Violation.child(pointer, error.getProperty());
        }
        return new Violation(pointer, error.getMessage());
    }
}
