package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MqttEventReaderTest {

    private final MqttEventReader reader = new MqttEventReader(16);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(Runnable read, String field, String messagePart) {
        assertRejected(read, ClientError.INVALID_EVENT, field, messagePart);
    }

    private static void assertRejected(Runnable read, ClientError error, String field, String messagePart) {
        assertThatThrownBy(read::run).isInstanceOfSatisfying(Refusal.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void mqtt311PublishGetsDefaultsForEverythingButTopicAndPayload() {
        CloudEvent event = reader.read("sensor-7", "plant/line1/temp", null, List.of(), bytes("21.5"));

        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(event.getId()).hasSize(36);
        assertThat(event.getType()).isEqualTo("mqtt.publish");
        assertThat(event.getSource().toString()).isEqualTo("/mqtt/sensor-7");
        assertThat(event.getExtension("meshtopic")).isEqualTo("plant/line1/temp");
        assertThat(event.getData().toBytes()).isEqualTo(bytes("21.5"));
        assertThat(event.getDataContentType()).isNull();
    }

    @Test
    void userPropertiesAreAttributesAnyCaseWithOrWithoutCePrefix() {
        CloudEvent event = reader.read("c", "a/b", "application/json", List.of(
                Map.entry("CE-ID", "evt-1"),
                Map.entry("Type", "com.example.created"),
                Map.entry("source", "/billing"),
                Map.entry("ce-time", "2026-11-29T10:00:00Z"),
                Map.entry("Tenant", "acme")), bytes("{}"));

        assertThat(event.getId()).isEqualTo("evt-1");
        assertThat(event.getType()).isEqualTo("com.example.created");
        assertThat(event.getSource().toString()).isEqualTo("/billing");
        assertThat(event.getTime()).isNotNull();
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getExtension("tenant")).isEqualTo("acme");
    }

    @Test
    void theRoutingPathOfADeliveryIsIgnoredWhenRepublished() {
        CloudEvent event = reader.read("c", "a", null, List.of(Map.entry("mesh-routing-path", "us-east-1,eu-west-1")), new byte[0]);

        assertThat(event.getExtensionNames()).containsExactlyInAnyOrder("meshtopic", "mqttuserproperties", "mqttclientid");
        assertThat(event.getData()).isNull();
    }

    @Test
    void invalidExtensionNameWithTheCePrefixIsRefusedNamingTheProperty() {
        assertRejected(() -> reader.read("c", "a", null, List.of(Map.entry("ce-Bad_Name", "v")), new byte[0]),
                "ce-Bad_Name", "invalid extension attribute name 'ce-Bad_Name'");
    }

    @Test
    void userPropertiesThatCannotBeAttributesTravelAsUserPropertiesOnly() {
        CloudEvent event = reader.read("c", "a", null, List.of(Map.entry("Content-Language", "en"), Map.entry("bad_name", "v")),
                new byte[0]);

        assertThat(event.getExtensionNames()).doesNotContain("content-language", "bad_name");
        assertThat(event.getExtension("mqttuserproperties")).isEqualTo("[[\"Content-Language\",\"en\"],[\"bad_name\",\"v\"]]");
    }

    @Test
    void allMqtt5PropertiesTravelAsMqttAttributes() {
        List<Map.Entry<String, String>> user = List.of(Map.entry("tag", "a"), Map.entry("Tag", "b"), Map.entry("tag", "a"),
                Map.entry("mqttresponsetopic", "spoofed"));
        CloudEvent event = reader.read("dev-1", "req/x", new MqttMessageProperties("text/plain", 1, 30L, "reply/dev-1",
                new byte[] {0, (byte) 0xff}, user), bytes("hi"));

        assertThat(event.getDataContentType()).isEqualTo("text/plain");
        assertThat(event.getExtension("mqttpayloadformat")).isEqualTo(1);
        assertThat(event.getExtension("mqttmessageexpiry")).isEqualTo("30");
        assertThat(event.getExtension("mqttresponsetopic")).isEqualTo("reply/dev-1");
        assertThat(event.getExtension("mqttcorrelationdata")).isEqualTo("AP8=");
        assertThat(event.getExtension("mqttclientid")).isEqualTo("dev-1");
        // Repeated names are MQTT: the extension keeps the first value, the list keeps them all.
        assertThat(event.getExtension("tag")).isEqualTo("a");
        assertThat(MqttUserProperties.decode((String) event.getExtension("mqttuserproperties"))).isEqualTo(user);
    }

    @Test
    void contradictionsAreRefused() {
        assertRejected(() -> reader.read("c", "a", null, List.of(Map.entry("id", "1"), Map.entry("ce-id", "2")), new byte[0]),
                "ce-id", "conflicts with user property 'id'");
        assertRejected(() -> reader.read("c", "a", "text/plain", List.of(Map.entry("datacontenttype", "application/json")), new byte[0]),
                "datacontenttype", "contradicts the MQTT content type");
        assertRejected(() -> reader.read("c", "a/b", null, List.of(Map.entry("meshtopic", "a/c")), new byte[0]),
                ClientError.CONFLICTING_TOPIC, "meshtopic", "contradicts the PUBLISH topic 'a/b'");
        assertRejected(() -> reader.read("c", "a/b", null, List.of(Map.entry("ce-MeshTopic", "a/c")), new byte[0]),
                ClientError.CONFLICTING_TOPIC, "ce-MeshTopic", "contradicts the PUBLISH topic 'a/b'");
    }

    @Test
    void badAttributeValuesAndTopicsAreRefused() {
        assertRejected(() -> reader.read("c", "a", null, List.of(Map.entry("specversion", "0.3")), new byte[0]),
                "specversion", "unsupported CloudEvents specversion");
        assertRejected(() -> reader.read("c", "a", null, List.of(Map.entry("time", "yesterday")), new byte[0]),
                "time", "not an RFC 3339 timestamp");
        assertRejected(() -> reader.read("c", "a" + "/a".repeat(40), null, List.of(), new byte[0]),
                ClientError.INVALID_TOPIC, "topic", "more than 32 levels");
    }

    @Test
    void payloadOverTheLimitIsRefused() {
        assertRejected(() -> reader.read("c", "a", null, List.of(), new byte[17]),
                ClientError.PAYLOAD_TOO_LARGE, "payload", "exceeds the limit of 16 bytes");
    }

    @Test
    void clientIdsBecomeValidUriSegments() {
        assertThat(MqttEventReader.uriSegment("dev ice/1")).isEqualTo("dev%20ice%2F1");
        assertThat(MqttEventReader.uriSegment("sensör")).isEqualTo("sens%C3%B6r");
        assertThat(reader.read("a b#c", "a", null, List.of(), new byte[0]).getSource().toString()).isEqualTo("/mqtt/a%20b%23c");
    }
}
