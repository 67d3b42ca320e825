package io.meshwork.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaEventCodecTest {

    private final KafkaEventCodec codec = new KafkaEventCodec("us-east-1", "us-east-1");

    private static CloudEvent seedEvent() {
        return CloudEventBuilder.v1()
                .withId("evt_uuid_88192ab_99")
                .withSource(URI.create("/billing/checkout"))
                .withType("com.codesprintpro.order.created")
                .withTime(OffsetDateTime.parse("2026-11-29T10:15:30Z"))
                .withData("application/json", "{\"amountCents\":4900}".getBytes(StandardCharsets.UTF_8))
                .withExtension("meshtopic", "com/codesprintpro/order/created")
                .withExtension("region", "eu")
                .build();
    }

    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> produced) {
        return new ConsumerRecord<>(produced.topic(), 0, 0L, produced.timestamp(), TimestampType.CREATE_TIME,
                -1, -1, produced.key(), produced.value(), produced.headers(), java.util.Optional.empty());
    }

    private static ConsumerRecord<String, byte[]> recordWith(RecordHeaders headers, String value) {
        return new ConsumerRecord<>("mesh.events", 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, null,
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());
    }

    private static RecordHeaders ceHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", "e1".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/kafka/native".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "orders.eu.created".getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Test
    void encodesTheCloudEventsKafkaBinaryBindingWithRoutingHeaders() {
        MeshEvent event = new MeshEvent(seedEvent(), Routing.publishedAt("us-east-1", "us-east-1"));

        ProducerRecord<String, byte[]> record = codec.encode("mesh.events", event, 1_770_289_945_000L);

        assertThat(record.key()).isEqualTo("com/codesprintpro/order/created");
        assertThat(record.timestamp()).isEqualTo(1_770_289_945_000L);
        assertThat(header(record, "ce_id")).isEqualTo("evt_uuid_88192ab_99");
        assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(record, "ce_meshtopic")).isEqualTo("com/codesprintpro/order/created");
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        assertThat(header(record, "mesh_origin")).isEqualTo("us-east-1");
        assertThat(header(record, "mesh_path")).isEqualTo("us-east-1");
        assertThat(header(record, "mesh_hops")).isEqualTo("16");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"amountCents\":4900}");
    }

    @Test
    void decodesWhatItEncodes() {
        Routing routing = new Routing("us-east-1", List.of("us-east-1", "eu-west-1"), 15);
        MeshEvent sent = new MeshEvent(seedEvent(), routing);

        MeshEvent received = codec.decode(consumed(codec.encode("mesh.events", sent, 1L)));

        assertThat(received.event()).isEqualTo(sent.event());
        assertThat(received.routing()).isEqualTo(routing);
        assertThat(received.topic().value()).isEqualTo("com/codesprintpro/order/created");
    }

    @Test
    void keysByPartitionKeyExtensionWhenPresent() {
        CloudEvent keyed = CloudEventBuilder.v1(seedEvent()).withExtension("partitionkey", "customer-7").build();

        ProducerRecord<String, byte[]> record = codec.encode("mesh.events",
                new MeshEvent(keyed, Routing.publishedAt("us-east-1", "us-east-1")), 1L);

        assertThat(record.key()).isEqualTo("customer-7");
    }

    @Test
    void plainKafkaProducerEventGetsTopicFromTypeAndLocalOrigin() {
        MeshEvent event = codec.decode(recordWith(ceHeaders(), "hello"));

        assertThat(event.topic().value()).isEqualTo("orders/eu/created");
        assertThat(event.routing()).isEqualTo(Routing.publishedAt("us-east-1", "us-east-1"));
        assertThat(event.payload()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void missingIdIsRejectedNamingTheHeader() {
        RecordHeaders headers = ceHeaders();
        headers.remove("ce_id");

        assertThatThrownBy(() -> codec.decode(recordWith(headers, "x")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_id"))
                .hasMessageContaining("missing required attribute 'ce_id'");
    }

    @Test
    void recordWithoutCloudEventsHeadersIsRejected() {
        assertThatThrownBy(() -> codec.decode(recordWith(new RecordHeaders(), "just bytes")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).startsWith("ce_"));
    }

    @Test
    void unsupportedSpecVersionIsRejected() {
        RecordHeaders headers = ceHeaders();
        headers.remove("ce_specversion");
        headers.add("ce_specversion", "0.3".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(recordWith(headers, "x")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_specversion"))
                .hasMessageContaining("'0.3'");
    }

    @Test
    void invalidMeshTopicIsRejectedNamingTheHeader() {
        RecordHeaders headers = ceHeaders();
        headers.add("ce_meshtopic", "orders/#".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(recordWith(headers, "x")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("ce_meshtopic"));
    }

    @Test
    void corruptHopHeaderIsRejected() {
        RecordHeaders headers = ceHeaders();
        headers.add("mesh_origin", "eu-west-1".getBytes(StandardCharsets.UTF_8));
        headers.add("mesh_path", "eu-west-1".getBytes(StandardCharsets.UTF_8));
        headers.add("mesh_hops", "many".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> codec.decode(recordWith(headers, "x")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"));
    }

    @Test
    void structuredModeRecordIsDecodedToo() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/cloudevents+json; charset=utf-8".getBytes(StandardCharsets.UTF_8));
        String json = "{\"specversion\":\"1.0\",\"id\":\"s1\",\"source\":\"/s\",\"type\":\"a.b\",\"data\":{\"x\":1}}";

        MeshEvent event = codec.decode(recordWith(headers, json));

        assertThat(event.id()).isEqualTo("s1");
        assertThat(event.topic().value()).isEqualTo("a/b");
        assertThat(new String(event.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
    }

    private static String header(ProducerRecord<String, byte[]> record, String key) {
        return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}
