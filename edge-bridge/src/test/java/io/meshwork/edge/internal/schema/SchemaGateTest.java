package io.meshwork.edge.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.SchemaSettings;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaGateTest {

    private static final URI SCHEMA_URL = URI.create("http://registry/apis/registry/v3/groups/meshwork/artifacts/orders/versions/1/content");
    private static final TopicName TOPIC = TopicName.of("orders/eu");

    @Test
    void aValidPayloadGetsItsSchemaAsDataschema() {
        CloudEvent checked = gate(reachable(), SchemaSettings.Unreachable.REFUSE).check(event("{\"amount\":1}"), TOPIC);
        assertThat(checked.getDataSchema()).isEqualTo(SCHEMA_URL);
        assertThat(checked.getId()).isEqualTo("e1");
    }

    @Test
    void anInvalidPayloadIsRefusedNamingThePointerAndTheSchema() {
        assertThatThrownBy(() -> gate(reachable(), SchemaSettings.Unreachable.ACCEPT).check(event("{\"amount\":\"x\"}"), TOPIC))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.error()).isEqualTo(ClientError.SCHEMA_VIOLATION);
                    assertThat(refusal.field()).isEqualTo("/amount");
                    assertThat(refusal.getMessage()).endsWith("(schema " + SCHEMA_URL + ")");
                    assertThat(refusal.error().isClientFault()).isTrue();
                });
    }

    @Test
    void aTopicWithoutSchemaPassesUntouched() {
        CloudEvent event = event("not json");
        assertThat(gate(reachable(), SchemaSettings.Unreachable.REFUSE).check(event, TopicName.of("other"))).isSameAs(event);
    }

    @Test
    void anUnreachableRegistryMarksOrRefusesAsConfigured() {
        CloudEvent marked = gate(unreachable(), SchemaSettings.Unreachable.ACCEPT).check(event("{}"), TOPIC);
        assertThat(marked.getExtension(SchemaGate.UNCHECKED_ATTRIBUTE)).isEqualTo(SchemaGate.UNCHECKED_REASON);
        assertThat(marked.getDataSchema()).isNull();
        assertThatThrownBy(() -> gate(unreachable(), SchemaSettings.Unreachable.REFUSE).check(event("{}"), TOPIC))
                .isInstanceOfSatisfying(Refusal.class, refusal -> {
                    assertThat(refusal.error()).isEqualTo(ClientError.SCHEMA_UNAVAILABLE);
                    assertThat(refusal.error().isClientFault()).isFalse();
                });
    }

    @Test
    void offChecksNothing() {
        CloudEvent event = event("{\"amount\":\"x\"}");
        assertThat(SchemaGate.OFF.check(event, TOPIC)).isSameAs(event);
    }

    private static SchemaGate gate(BindingSource source, SchemaSettings.Unreachable policy) {
        SchemaCatalog catalog = new SchemaCatalog(source, Duration.ofSeconds(30), "us-east-1", System::nanoTime);
        catalog.refresh();
        return new SchemaGate(catalog, policy, "us-east-1");
    }

    private static BindingSource reachable() {
        return source(List.of(new SchemaBinding(TopicPattern.parse("orders/+"), "orders", 1, SCHEMA_URL,
                JsonSchemaCheck.compile("{\"properties\": {\"amount\": {\"type\": \"number\"}}}"))));
    }

    private static BindingSource unreachable() {
        return source(null);
    }

    private static BindingSource source(List<SchemaBinding> bindings) {
        return new RegistryAnswers(bindings);
    }

    private static CloudEvent event(String data) {
        return CloudEventBuilder.v1().withId("e1").withType("t").withSource(URI.create("/s"))
                .withData("application/json", data.getBytes(StandardCharsets.UTF_8)).build();
    }
}
