package io.meshwork.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.core.builder.CloudEventBuilder;
import io.meshwork.core.selector.Selector;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaEventViewTest {

    private static final byte[] JSON = "{\"amountCents\":12000,\"currency\":\"USD\"}".getBytes(StandardCharsets.UTF_8);

    private static Headers headers(String... keyValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < keyValues.length; i += 2) {
            headers.add(keyValues[i], keyValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static ProducerRecord<String, byte[]> edgeRecord() {
        MeshEvent event = new MeshEvent(CloudEventBuilder.v1()
                .withId("e1").withSource(URI.create("/billing")).withType("order.created")
                .withData("application/json", JSON)
                .withExtension("meshtopic", "orders/us/billing")
                .withExtension("region", "us")
                .build(), new Routing("us-east-1", List.of("us-east-1", "eu-west-1"), 15));
        return new KafkaEventCodec("us-east-1", "us-east-1").encode("mesh.events", event, 1L);
    }

    @Test
    void readsIdTopicAndRoutingOfWhatTheEdgeWrote() {
        ProducerRecord<String, byte[]> record = edgeRecord();

        KafkaEventView view = KafkaEventView.read(record.headers(), record.value(), "eu-west-1");

        assertThat(view.id()).isEqualTo("e1");
        assertThat(view.topic().value()).isEqualTo("orders/us/billing");
        assertThat(view.routing()).isEqualTo(new Routing("us-east-1", List.of("us-east-1", "eu-west-1"), 15));
        assertThat(view.payloadSize()).isEqualTo(JSON.length);
        assertThat(view.extension("region")).isEqualTo("us");
        assertThat(view.extension("absent")).isNull();
    }

    @Test
    void selectorsSeeTheAttributesAndThePayloadAsAFullDecodeWould() {
        ProducerRecord<String, byte[]> record = edgeRecord();
        KafkaEventView view = KafkaEventView.read(record.headers(), record.value(), "us-east-1");

        assertThat(Selector.parse("amountCents > 10000 AND currency = 'USD'").matches(view.selectorContext().get())).isTrue();
        assertThat(Selector.parse("\"headers.region\" IN ('us','eu')").matches(view.selectorContext().get())).isTrue();
        assertThat(Selector.parse("\"headers.meshtopic\" = 'orders/us/billing'").matches(view.selectorContext().get())).isTrue();
        assertThat(Selector.parse("amountCents > 20000").matches(view.selectorContext().get())).isFalse();
    }

    @Test
    void aPlainProducersEventIsPublishedHereOnTheTopicItsTypeGives() {
        KafkaEventView view = KafkaEventView.read(headers("ce_id", "p1", "ce_type", "orders.eu.created"), null, "eu-west-1");

        assertThat(view.topic().value()).isEqualTo("orders/eu/created");
        assertThat(view.routing()).isEqualTo(Routing.publishedAt("eu-west-1", "eu-west-1"));
        assertThat(view.payloadSize()).isZero();
        assertThat(Selector.parse("\"headers.meshtopic\" = 'orders/eu/created'").matches(view.selectorContext().get())).isTrue();
    }

    @Test
    void theSelectorContextIsBuiltOnlyOnceAndOnlyWhenAsked() {
        ProducerRecord<String, byte[]> record = edgeRecord();
        KafkaEventView view = KafkaEventView.read(record.headers(), record.value(), "us-east-1");

        assertThat(view.selectorContext().get()).isSameAs(view.selectorContext().get());
    }

    @Test
    void aMissingOrEmptyIdIsNamed() {
        assertThatThrownBy(() -> KafkaEventView.read(headers("ce_type", "a.b"), null, "r"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_id"))
                .hasMessageContaining("missing required attribute 'ce_id'");
        assertThatThrownBy(() -> KafkaEventView.read(headers("ce_id", "", "ce_type", "a.b"), null, "r"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_id"));
    }

    @Test
    void anEventWithNeitherTopicNorTypeIsNamed() {
        assertThatThrownBy(() -> KafkaEventView.read(headers("ce_id", "e"), null, "r"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_type"))
                .hasMessageContaining("missing required attribute 'ce_type'");
    }

    @Test
    void anInvalidTopicIsNamed() {
        assertThatThrownBy(() -> KafkaEventView.read(headers("ce_id", "e", "ce_type", "t", "ce_meshtopic", "orders/#"), null, "r"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_meshtopic"));
        assertThatThrownBy(() -> KafkaEventView.read(headers("ce_id", "e", "ce_type", "orders.+"), null, "r"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_type"))
                .hasMessageContaining("does not form a valid topic");
    }

    @Test
    void badRoutingHeadersAreNamed() {
        assertThatThrownBy(() -> KafkaEventView.read(headers("ce_id", "e", "ce_type", "t", "mesh_origin", "a", "mesh_path", "a",
                "mesh_hops", "x"), null, "r"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"));
    }

    @Test
    void aStructuredModeRecordIsDecodedWhole() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"s1\",\"source\":\"/x\",\"type\":\"orders.ap.created\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"amountCents\":5}}";

        KafkaEventView view = KafkaEventView.read(headers("content-type", "application/cloudevents+json; charset=UTF-8"),
                json.getBytes(StandardCharsets.UTF_8), "ap-southeast-1");

        assertThat(view.id()).isEqualTo("s1");
        assertThat(view.topic().value()).isEqualTo("orders/ap/created");
        assertThat(Selector.parse("amountCents = 5").matches(view.selectorContext().get())).isTrue();
    }

    @Test
    void aBrokenStructuredModeRecordIsRejected() {
        assertThatThrownBy(() -> KafkaEventView.read(headers("content-type", "application/cloudevents+json"),
                "{not json".getBytes(StandardCharsets.UTF_8), "r"))
                .isInstanceOf(InvalidEventException.class);
    }
}
