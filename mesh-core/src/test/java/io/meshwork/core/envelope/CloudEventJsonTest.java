package io.meshwork.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloudEventJsonTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesJsonDataAndExtensions() {
        var event = CloudEventJson.parse(json("""
                {"specversion":"1.0","id":"e1","source":"/s","type":"t.x","meshtopic":"a/b",
                 "priority":3,"urgent":true,"data":{"amountCents":4900}}"""));

        assertThat(event.getId()).isEqualTo("e1");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"amountCents\":4900}");
        assertThat(event.getExtension("priority")).isEqualTo(3);
        assertThat(event.getExtension("urgent")).isEqualTo(true);
    }

    @Test
    void decodesDataBase64() {
        var event = CloudEventJson.parse(json("""
                {"specversion":"1.0","id":"e1","source":"/s","type":"t","datacontenttype":"application/octet-stream","data_base64":"AAEC"}"""));

        assertThat(event.getData().toBytes()).containsExactly(0, 1, 2);
    }

    @Test
    void textDataWithNonJsonContentTypeIsTheTextItself() {
        var event = CloudEventJson.parse(json("""
                {"specversion":"1.0","id":"e1","source":"/s","type":"t","datacontenttype":"text/plain","data":"hi"}"""));

        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void malformedJsonNamesTheBodyAndPosition() {
        assertThatThrownBy(() -> CloudEventJson.parse(json("{\"id\": ")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("body"))
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining("line 1");
    }

    @Test
    void nonObjectIsRejected() {
        assertThatThrownBy(() -> CloudEventJson.parse(json("[1,2]")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void missingTypeNamesTheMember() {
        assertThatThrownBy(() -> CloudEventJson.parse(json("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\"}")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("type"));
    }

    @Test
    void emptyIdIsRejected() {
        assertThatThrownBy(() -> CloudEventJson.parse(json("{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("id"))
                .hasMessageContaining("non-empty");
    }

    @Test
    void bothDataAndDataBase64AreRejected() {
        assertThatThrownBy(() -> CloudEventJson.parse(json("""
                {"specversion":"1.0","id":"e","source":"/s","type":"t","data":1,"data_base64":"AA=="}""")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("data_base64"));
    }

    @Test
    void invalidTimeAndExtensionNameAreRejected() {
        assertThatThrownBy(() -> CloudEventJson.parse(json("""
                {"specversion":"1.0","id":"e","source":"/s","type":"t","time":"yesterday"}""")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("time"));
        assertThatThrownBy(() -> CloudEventJson.parse(json("""
                {"specversion":"1.0","id":"e","source":"/s","type":"t","Bad-Name":"x"}""")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("Bad-Name"));
    }
}
