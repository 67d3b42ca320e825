package io.meshwork.edge.internal.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.cloudevents.CloudEvent;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.schema.v1.PublishRequest;
import java.net.URI;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class PublishRequestReaderTest {

    private final PublishRequestReader reader = new PublishRequestReader(16);

    private static PublishRequest.Builder seed() {
        return PublishRequest.newBuilder()
                .setEventId("evt_uuid_88192ab_99")
                .setType("com.codesprintpro.order.created")
                .setSource("/billing/checkout")
                .setContentType("application/json")
                .setPayloadBytes(ByteString.copyFromUtf8("{\"a\":1}"));
    }

    private void assertRejected(PublishRequest request, String field, String messageStart) {
        assertRejected(request, ClientError.INVALID_EVENT, field, messageStart);
    }

    private void assertRejected(PublishRequest request, ClientError error, String field, String messageStart) {
        assertThatThrownBy(() -> reader.read(request, null)).isInstanceOfSatisfying(Refusal.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }

    @Test
    void mapsEveryFieldToItsCloudEventsAttribute() {
        CloudEvent event = reader.read(seed().setTopic("orders/ap/created").setSubject("ord_1").setTime("2026-11-29T10:00:00Z")
                .setDataSchema("https://schemas.example/order").putExtensions("partitionkey", "cust_1").build(), null);

        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(event.getId()).isEqualTo("evt_uuid_88192ab_99");
        assertThat(event.getType()).isEqualTo("com.codesprintpro.order.created");
        assertThat(event.getSource()).isEqualTo(URI.create("/billing/checkout"));
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getSubject()).isEqualTo("ord_1");
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.parse("2026-11-29T10:00:00Z"));
        assertThat(event.getDataSchema()).isEqualTo(URI.create("https://schemas.example/order"));
        assertThat(event.getExtension("partitionkey")).isEqualTo("cust_1");
        assertThat(event.getExtension("meshtopic")).isEqualTo("orders/ap/created");
        assertThat(event.getData().toBytes()).isEqualTo("{\"a\":1}".getBytes());
    }

    @Test
    void derivesTheTopicFromTypeWhenNoneIsGiven() {
        assertThat(reader.read(seed().build(), null).getExtension("meshtopic")).isEqualTo("com/codesprintpro/order/created");
    }

    @Test
    void takesTheTopicFromTheMeshtopicExtensionWhenTheFieldIsEmpty() {
        assertThat(reader.read(seed().putExtensions("meshtopic", "x/y").build(), null).getExtension("meshtopic")).isEqualTo("x/y");
    }

    @Test
    void emptyPayloadMeansNoData() {
        assertThat(reader.read(seed().clearPayloadBytes().build(), null).getData()).isNull();
    }

    @Test
    void carriesTraceparentMetadataUnlessTheExtensionIsSet() {
        String fromMetadata = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String fromExtension = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        assertThat(reader.read(seed().build(), fromMetadata).getExtension("traceparent")).isEqualTo(fromMetadata);
        assertThat(reader.read(seed().putExtensions("traceparent", fromExtension).build(), fromMetadata)
                .getExtension("traceparent")).isEqualTo(fromExtension);
    }

    @Test
    void namesTheRequestFieldOfEveryMissingRequiredAttribute() {
        assertRejected(seed().clearEventId().build(), "event_id", "missing required attribute 'event_id'");
        assertRejected(seed().clearType().build(), "type", "missing required attribute 'type'");
        assertRejected(seed().clearSource().build(), "source", "missing required attribute 'source'");
    }

    @Test
    void namesTheRequestFieldOfEveryMalformedAttribute() {
        assertRejected(seed().setSource("not a uri").build(), "source", "attribute 'source' is not a URI-reference");
        assertRejected(seed().setTime("yesterday").build(), "time", "attribute 'time' is not an RFC 3339 timestamp");
        assertRejected(seed().setDataSchema("not a uri").build(), "data_schema", "attribute 'data_schema' is not a URI-reference");
        assertRejected(seed().putExtensions("Bad", "x").build(), "extensions.Bad", "invalid extension attribute name");
        assertRejected(seed().putExtensions("meshtopic", "a/#").build(), "extensions.meshtopic", "");
    }

    @Test
    void refusesContextAttributesSmuggledInAsExtensions() {
        assertRejected(seed().putExtensions("type", "x").build(), "extensions.type", "'type' is a CloudEvents context attribute");
        assertRejected(seed().putExtensions("specversion", "0.3").build(), "extensions.specversion", "'specversion' is implied");
    }

    @Test
    void refusesBadTopics() {
        assertRejected(seed().setTopic("orders/+").build(), ClientError.INVALID_TOPIC, "topic", "");
        assertRejected(seed().setType("a#b").build(), "type", "no meshtopic given and the type does not form a valid topic");
        assertRejected(seed().setTopic("a/b").putExtensions("meshtopic", "c/d").build(), ClientError.CONFLICTING_TOPIC, "topic",
                "topic 'a/b' contradicts extensions.meshtopic 'c/d'");
    }

    @Test
    void refusesPayloadsOverTheLimit() {
        assertRejected(seed().setPayloadBytes(ByteString.copyFrom(new byte[17])).build(), ClientError.PAYLOAD_TOO_LARGE, "payload_bytes",
                "payload of 17 bytes exceeds the limit of 16 bytes");
        assertThat(reader.read(seed().setPayloadBytes(ByteString.copyFrom(new byte[16])).build(), null).getData().toBytes())
                .hasSize(16);
    }
}
