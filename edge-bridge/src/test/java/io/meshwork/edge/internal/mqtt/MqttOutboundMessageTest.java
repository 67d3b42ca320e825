package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.core.envelope.EnvelopeMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttOutboundMessageTest {

    private static final long PUBLISHED = 1_000_000L;
    private final MqttEventReader reader = new MqttEventReader(1024);

    private static EventEnvelope envelope(CloudEvent event, long publishedMs) {
        return EventEnvelope.newBuilder().setEventId(event.getId()).setTopic("a/b").setPublishTimestampMs(publishedMs)
                .addRoutingPath("us-east-1").addRoutingPath("eu-west-1").putAllHeaders(EnvelopeMapper.headers(event)).build();
    }

    private EventEnvelope fromMqtt(MqttMessageProperties properties) {
        return envelope(reader.read("dev-1", "a/b", properties, new byte[] {1}), PUBLISHED);
    }

    @Test
    void mqttPublishComesBackWithItsOwnPropertiesAndUserPropertiesExactly() {
        List<Map.Entry<String, String>> user = List.of(Map.entry("b", "2"), Map.entry("a", "1"), Map.entry("b", "3"),
                Map.entry("Content-Language", "en"));
        MqttOutboundMessage message = MqttOutboundMessage.of(fromMqtt(new MqttMessageProperties("application/json", 1, 60L,
                "reply/dev-1", new byte[] {9, 8}, user)), PUBLISHED).orElseThrow();

        assertThat(message.userProperties()).isEqualTo(user);
        assertThat(message.contentType()).isEqualTo("application/json");
        assertThat(message.payloadFormat()).isEqualTo(1);
        assertThat(message.messageExpiry()).isEqualTo(60L);
        assertThat(message.responseTopic()).isEqualTo("reply/dev-1");
        assertThat(message.correlationData()).containsExactly(9, 8);
        assertThat(message.publisherRegion()).isEqualTo("us-east-1");
        assertThat(message.publisherClient()).isEqualTo("dev-1");
        // What the mesh added is bookkeeping: the attributes the publisher did not send, and the path.
        assertThat(message.bookkeeping()).extracting(Map.Entry::getKey)
                .contains("id", "source", "type", "specversion", "meshtopic", "mesh-routing-path")
                .doesNotContain("a", "b", "datacontenttype", "mqttuserproperties", "mqttclientid");
        assertThat(message.bookkeeping()).contains(Map.entry("mesh-routing-path", "us-east-1,eu-west-1"));
    }

    @Test
    void mqtt311PublishHasNoUserPropertiesAndNoContentType() {
        MqttOutboundMessage message = MqttOutboundMessage.of(fromMqtt(MqttMessageProperties.of(null, List.of())), PUBLISHED)
                .orElseThrow();

        assertThat(message.userProperties()).isEmpty();
        assertThat(message.contentType()).isNull();
        assertThat(message.payloadFormat()).isNull();
        assertThat(message.messageExpiry()).isNull();
        assertThat(message.responseTopic()).isNull();
        assertThat(message.correlationData()).isNull();
    }

    @Test
    void messageExpiryCountsDownFromThePublishTimeAndAnExpiredMessageIsNotDelivered() {
        EventEnvelope event = fromMqtt(new MqttMessageProperties(null, null, 10L, null, null, List.of()));

        assertThat(MqttOutboundMessage.of(event, PUBLISHED + 3_500).orElseThrow().messageExpiry()).isEqualTo(7L);
        assertThat(MqttOutboundMessage.of(event, PUBLISHED + 9_999).orElseThrow().messageExpiry()).isEqualTo(1L);
        assertThat(MqttOutboundMessage.of(event, PUBLISHED + 10_000)).isEmpty();
        // A clock behind the publisher's counts as no time passed.
        assertThat(MqttOutboundMessage.of(event, PUBLISHED - 5_000).orElseThrow().messageExpiry()).isEqualTo(10L);
    }

    @Test
    void eventOfAnotherProtocolCarriesItsAttributesAsTheCloudEventsMqttBindingSays() {
        CloudEvent event = io.cloudevents.core.builder.CloudEventBuilder.v1().withId("e-1").withSource(java.net.URI.create("/http"))
                .withType("order.created").withData("application/json", new byte[] {'{', '}'})
                .withExtension("meshtopic", "a/b").withExtension("tenant", "acme")
                .withExtension("mqttresponsetopic", "replies/web").build();

        MqttOutboundMessage message = MqttOutboundMessage.of(envelope(event, PUBLISHED), PUBLISHED).orElseThrow();

        assertThat(message.userProperties()).containsExactlyInAnyOrder(Map.entry("specversion", "1.0"), Map.entry("id", "e-1"),
                Map.entry("source", "/http"), Map.entry("type", "order.created"), Map.entry("meshtopic", "a/b"),
                Map.entry("tenant", "acme"));
        assertThat(message.contentType()).isEqualTo("application/json");
        assertThat(message.responseTopic()).isEqualTo("replies/web");
        assertThat(message.bookkeeping()).containsExactly(Map.entry("mesh-routing-path", "us-east-1,eu-west-1"));
        assertThat(message.publisherClient()).isEmpty();
    }

    @Test
    void mqttAttributesSetBadlyByAnotherProtocolAreLeftOut() {
        CloudEvent event = io.cloudevents.core.builder.CloudEventBuilder.v1().withId("e-2").withSource(java.net.URI.create("/http"))
                .withType("t").withExtension("mqttuserproperties", "{not a list").withExtension("mqttmessageexpiry", "-1")
                .withExtension("mqttpayloadformat", "7").withExtension("mqttresponsetopic", "replies/#")
                .withExtension("mqttcorrelationdata", "***").build();

        MqttOutboundMessage message = MqttOutboundMessage.of(envelope(event, PUBLISHED), PUBLISHED).orElseThrow();

        assertThat(message.userProperties()).extracting(Map.Entry::getKey).containsExactlyInAnyOrder("specversion", "id", "source", "type");
        assertThat(message.messageExpiry()).isNull();
        assertThat(message.payloadFormat()).isNull();
        assertThat(message.responseTopic()).isNull();
        assertThat(message.correlationData()).isNull();
    }
}
