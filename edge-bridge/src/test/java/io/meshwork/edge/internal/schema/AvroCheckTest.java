package io.meshwork.edge.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

class AvroCheckTest {

    private static final String READING = """
            {"type": "record", "name": "Reading", "namespace": "io.example",
             "fields": [
               {"name": "sensor", "type": "string"},
               {"name": "value", "type": "double"},
               {"name": "unit", "type": {"type": "enum", "name": "Unit", "symbols": ["C", "F"]}, "default": "C"},
               {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
               {"name": "note", "type": ["null", "string"], "default": null}]}
            """;
    private static final AvroCheck CHECK = AvroCheck.compile(READING);

    @Test
    void aJsonEncodedRecordThatFollowsTheSchemaPasses() {
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":21.5,\"unit\":\"F\",\"tags\":[\"a\"],\"note\":{\"string\":\"ok\"}}"),
                "application/json")).isEmpty();
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":21}"), null)).isEmpty();
    }

    @Test
    void aViolationOfTheJsonEncodingIsNamedByItsJsonPointer() {
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":\"hot\"}"), null).orElseThrow())
                .isEqualTo(new Violation("/value", "must be a double, not a string"));
        assertThat(CHECK.check(bytes("{\"value\":1}"), null).orElseThrow().pointer()).isEqualTo("/sensor");
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":1,\"unit\":\"K\"}"), null).orElseThrow().pointer()).isEqualTo("/unit");
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":1,\"tags\":[\"a\",2]}"), null).orElseThrow().pointer())
                .isEqualTo("/tags/1");
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":1,\"note\":{\"string\":3}}"), null).orElseThrow().pointer())
                .isEqualTo("/note/string");
        assertThat(CHECK.check(bytes("{\"sensor\":\"s1\",\"value\":1,\"note\":\"bare\"}"), null).orElseThrow().message())
                .contains("union");
    }

    @Test
    void binaryAvroIsDecodedWhenTheContentTypeSaysSo() throws Exception {
        Schema schema = new Schema.Parser().parse(READING);
        GenericRecord reading = new GenericData.Record(schema);
        reading.put("sensor", "s1");
        reading.put("value", 1.5);
        reading.put("unit", new GenericData.EnumSymbol(schema.getField("unit").schema(), "C"));
        reading.put("tags", java.util.List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(reading, encoder);
        encoder.flush();
        assertThat(CHECK.check(out.toByteArray(), "application/avro")).isEmpty();
        assertThat(CHECK.check(new byte[] {1, 2}, "avro/binary").orElseThrow().field()).isEqualTo("data");
        byte[] trailing = java.util.Arrays.copyOf(out.toByteArray(), out.size() + 1);
        assertThat(CHECK.check(trailing, "application/avro").orElseThrow().message()).contains("bytes left");
    }

    @Test
    void onlyTheAvroMediaTypesMeanBinary() {
        assertThat(AvroCheck.isBinary("application/avro")).isTrue();
        assertThat(AvroCheck.isBinary("Avro/Binary; charset=x")).isTrue();
        assertThat(AvroCheck.isBinary("application/json")).isFalse();
        assertThat(AvroCheck.isBinary(null)).isFalse();
    }

    @Test
    void aSchemaThatIsNotAvroIsRefusedWhenCompiled() {
        assertThatThrownBy(() -> AvroCheck.compile("{\"type\": \"recordz\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an Avro schema");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
