package io.meshwork.connectors.mesh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.kafka.MeshKafkaTopics;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class SinkEventsTest {

    private final SinkEvents events = new SinkEvents(new TopicMapping(TopicSource.FIELD, "region", "orders/{}"),
            "com.example.order", "/erp", null, 64, "us-east-1", "us-east-1");

    private static SinkRecord record(Object key, Object value) {
        return new SinkRecord("erp.orders", 1, Schema.OPTIONAL_STRING_SCHEMA, key, null, value, 7L, 1_700_000_000_000L,
                TimestampType.CREATE_TIME);
    }

    private static String header(ProducerRecord<String, byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    @Test
    void aRecordBecomesTheEventAnEdgeWouldWrite() {
        MeshEvent event = events.eventOf(record("order-1", Map.of("region", "eu", "amountCents", 12_000)));
        ProducerRecord<String, byte[]> written = new KafkaEventCodec("us-east-1", "us-east-1")
                .encode(MeshKafkaTopics.EVENTS, event, 1L);

        assertThat(written.key()).isEqualTo("order-1");
        assertThat(header(written, "ce_id")).isEqualTo("erp.orders-1-7");
        assertThat(header(written, "ce_type")).isEqualTo("com.example.order");
        assertThat(header(written, "ce_source")).isEqualTo("/erp");
        assertThat(header(written, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(written, "ce_meshtopic")).isEqualTo("orders/eu");
        assertThat(header(written, "ce_time")).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(header(written, "content-type")).isEqualTo("application/json");
        assertThat(header(written, "mesh_origin")).isEqualTo("us-east-1");
        assertThat(new String(written.value(), UTF_8)).contains("\"amountCents\":12000");
        assertThat(event.selectorContext().get()).isNotNull();
    }

    @Test
    void bytesAndTextKeepTheirPayload() {
        SinkEvents byTopic = new SinkEvents(new TopicMapping(TopicSource.TOPIC, "", "{}"), "t", "/s", null, 64, "us-east-1",
                "us-east-1");
        MeshEvent text = byTopic.eventOf(record(null, "hello"));
        MeshEvent bytes = byTopic.eventOf(record(null, new byte[] {1, 2}));

        assertThat(text.payload()).isEqualTo("hello".getBytes(UTF_8));
        assertThat(text.event().getDataContentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(text.topic().value()).isEqualTo("erp.orders");
        assertThat(bytes.payload()).containsExactly(1, 2);
        assertThat(bytes.event().getDataContentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void anUnmappableRecordIsADataException() {
        assertThatThrownBy(() -> events.eventOf(record("k", Map.of("amountCents", 1))))
                .isInstanceOf(DataException.class).hasMessageContaining("'region'");
    }

    @Test
    void anOversizePayloadIsADataExceptionNamingTheLimit() {
        assertThatThrownBy(() -> events.eventOf(record("k", Map.of("region", "eu", "note", "x".repeat(100)))))
                .isInstanceOf(DataException.class).hasMessageContaining("exceeds mesh.max.payload.bytes (64)");
    }
}
