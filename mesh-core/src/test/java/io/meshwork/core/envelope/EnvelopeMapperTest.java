package io.meshwork.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.schema.v1.EventEnvelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeMapperTest {

    @Test
    void carriesIdTopicPayloadAttributesAndRoutingPath() {
        var event = CloudEventBuilder.v1()
                .withId("evt-1")
                .withSource(URI.create("/billing/checkout"))
                .withType("com.codesprintpro.order.created")
                .withTime(OffsetDateTime.parse("2026-11-29T10:15:30Z"))
                .withData("application/json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                .withExtension("meshtopic", "orders/ap/checkout")
                .withExtension("region", "ap")
                .build();
        var meshEvent = new MeshEvent(event, new Routing("us-east-1", List.of("us-east-1", "ap-southeast-1"), 15));

        EventEnvelope envelope = EnvelopeMapper.toEnvelope(meshEvent, 1_770_289_945_123L);

        assertThat(envelope.getEventId()).isEqualTo("evt-1");
        assertThat(envelope.getTopic()).isEqualTo("orders/ap/checkout");
        assertThat(envelope.getPayloadBytes().toStringUtf8()).isEqualTo("{\"a\":1}");
        assertThat(envelope.getPublishTimestampMs()).isEqualTo(1_770_289_945_123L);
        assertThat(envelope.getRoutingPathList()).containsExactly("us-east-1", "ap-southeast-1");
        assertThat(envelope.getHeadersMap())
                .containsEntry("id", "evt-1")
                .containsEntry("specversion", "1.0")
                .containsEntry("source", "/billing/checkout")
                .containsEntry("type", "com.codesprintpro.order.created")
                .containsEntry("time", "2026-11-29T10:15:30Z")
                .containsEntry("datacontenttype", "application/json")
                .containsEntry("meshtopic", "orders/ap/checkout")
                .containsEntry("region", "ap");
        assertThat(envelope.hasControl()).isFalse();
    }
}
