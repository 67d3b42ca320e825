package io.meshwork.edge.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonSchemaCheckTest {

    private static final JsonSchemaCheck ORDER = JsonSchemaCheck.compile("""
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "type": "object", "required": ["id", "amount"],
             "properties": {
               "id": {"type": "string"},
               "amount": {"type": "number"},
               "lines": {"type": "array", "items": {"type": "object", "required": ["sku"],
                         "properties": {"sku": {"type": "string"}, "a/b~c": {"type": "integer"}}}}}}
            """);

    @Test
    void aPayloadThatFollowsTheSchemaPasses() {
        assertThat(ORDER.check(bytes("{\"id\":\"o1\",\"amount\":12.5,\"lines\":[{\"sku\":\"x\"}]}"), "application/json")).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeIsNamedByItsJsonPointer() {
        Violation violation = ORDER.check(bytes("{\"id\":\"o1\",\"amount\":\"ten\"}"), "application/json").orElseThrow();
        assertThat(violation.pointer()).isEqualTo("/amount");
        assertThat(violation.field()).isEqualTo("/amount");
        assertThat(violation.message()).contains("number");
    }

    @Test
    void aMissingRequiredPropertyIsNamedItselfNotItsParent() {
        Violation violation = ORDER.check(bytes("{\"id\":\"o1\"}"), null).orElseThrow();
        assertThat(violation.pointer()).isEqualTo("/amount");
    }

    @Test
    void aNestedViolationInsideAnArrayNamesTheIndexAndEscapesTheKey() {
        assertThat(ORDER.check(bytes("{\"id\":\"o1\",\"amount\":1,\"lines\":[{\"sku\":\"x\"},{\"sku\":7}]}"), null).orElseThrow()
                .pointer()).isEqualTo("/lines/1/sku");
        assertThat(ORDER.check(bytes("{\"id\":\"o1\",\"amount\":1,\"lines\":[{\"sku\":\"x\",\"a/b~c\":\"no\"}]}"), null).orElseThrow()
                .pointer()).isEqualTo("/lines/0/a~1b~0c");
    }

    @Test
    void aPayloadThatIsNotJsonBreaksTheSchemaAtTheRoot() {
        Violation violation = ORDER.check(bytes("not json {"), "application/json").orElseThrow();
        assertThat(violation.pointer()).isEmpty();
        assertThat(violation.field()).isEqualTo("data");
        assertThat(violation.message()).contains("not JSON");
    }

    @Test
    void anEmptyPayloadIsCheckedAsNull() {
        assertThat(ORDER.check(new byte[0], null).orElseThrow().field()).isEqualTo("data");
        assertThat(JsonSchemaCheck.compile("{\"type\": [\"object\", \"null\"]}").check(new byte[0], null)).isEmpty();
    }

    @Test
    void aSchemaThatIsNotJsonIsRefusedWhenCompiled() {
        assertThatThrownBy(() -> JsonSchemaCheck.compile("{not a schema")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON Schema");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
