package io.meshwork.edge.internal.publish;

import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.http.HttpErrors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class HttpEventReaderTest {

    private static final String SEED_BODY = """
            {
              "orderId": "ord_88271a2",
              "customerId": "cust_331902",
              "amountCents": 4900,
              "currency": "USD"
            }""";

    private final HttpEventReader reader = new HttpEventReader(1024);

    private static Map<String, String> seedHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("CE-SpecVersion", "1.0");
        headers.put("CE-Type", "com.codesprintpro.order.created");
        headers.put("CE-Source", "/billing/checkout");
        headers.put("CE-ID", "evt_uuid_88192ab_99");
        return headers;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(ThrowingCallable call, int status, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Refusal.class, e -> {
            assertThat(HttpErrors.status(e)).isEqualTo(status);
            assertThat(e.field()).isEqualTo(field);
        });
    }

    private static void assertRejected(ThrowingCallable call, ClientError error, int status, String field) {
        assertRejected(call, status, field);
        assertThatThrownBy(call).isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void readsTheSeedRequestVerbatimDerivingTheTopicFromType() {
        var event = reader.read(seedHeaders(), null, bytes(SEED_BODY));

        assertThat(event.getId()).isEqualTo("evt_uuid_88192ab_99");
        assertThat(event.getType()).isEqualTo("com.codesprintpro.order.created");
        assertThat(event.getSource().toString()).isEqualTo("/billing/checkout");
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getExtension("meshtopic")).isEqualTo("com/codesprintpro/order/created");
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(SEED_BODY);
    }

    @Test
    void topicComesFromMeshTopicHeaderOrQueryParameter() {
        Map<String, String> headers = seedHeaders();
        headers.put("ce-meshtopic", "orders/ap/checkout");
        assertThat(reader.read(headers, null, bytes("{}")).getExtension("meshtopic")).isEqualTo("orders/ap/checkout");
        assertThat(reader.read(seedHeaders(), "orders/eu/checkout", bytes("{}")).getExtension("meshtopic"))
                .isEqualTo("orders/eu/checkout");
        assertThat(reader.read(headers, "orders/ap/checkout", bytes("{}")).getExtension("meshtopic"))
                .isEqualTo("orders/ap/checkout");
    }

    @Test
    void carriesExtensionsAndTraceparent() {
        Map<String, String> headers = seedHeaders();
        headers.put("ce-region", "eu");
        headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        var event = reader.read(headers, null, bytes("{}"));

        assertThat(event.getExtension("region")).isEqualTo("eu");
        assertThat(event.getExtension("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void readsStructuredMode() {
        var headers = Map.of("Content-Type", "application/cloudevents+json; charset=UTF-8");
        String body = """
                {"specversion":"1.0","id":"s-1","source":"/s","type":"orders.us.created","data":{"amountCents":1}}""";

        var event = reader.read(headers, null, bytes(body));

        assertThat(event.getId()).isEqualTo("s-1");
        assertThat(event.getExtension("meshtopic")).isEqualTo("orders/us/created");
    }

    @Test
    void rejectsEachMissingOrEmptyRequiredAttributeNamingTheHeader() {
        for (String header : new String[] {"CE-ID", "CE-Type", "CE-Source", "CE-SpecVersion"}) {
            Map<String, String> missing = seedHeaders();
            missing.remove(header);
            assertRejected(() -> reader.read(missing, null, bytes("{}")), 400, header.toLowerCase());
            Map<String, String> empty = seedHeaders();
            empty.put(header, "");
            assertRejected(() -> reader.read(empty, null, bytes("{}")), 400, header.toLowerCase());
        }
    }

    @Test
    void rejectsUnsupportedSpecVersion() {
        Map<String, String> headers = seedHeaders();
        headers.put("CE-SpecVersion", "0.3");
        assertThatThrownBy(() -> reader.read(headers, null, bytes("{}")))
                .isInstanceOf(Refusal.class)
                .hasMessageContaining("unsupported CloudEvents specversion '0.3'");
    }

    @Test
    void rejectsMalformedStructuredJson() {
        assertRejected(() -> reader.read(Map.of("content-type", "application/cloudevents+json"), null, bytes("{\"id\":")),
                400, "body");
    }

    @Test
    void rejectsInvalidTopics() {
        Map<String, String> headers = seedHeaders();
        headers.put("ce-meshtopic", "orders/#/x");
        assertRejected(() -> reader.read(headers, null, bytes("{}")), ClientError.INVALID_EVENT, 400, "ce-meshtopic");
        assertRejected(() -> reader.read(seedHeaders(), "orders/+", bytes("{}")), ClientError.INVALID_TOPIC, 400, "topic");
        Map<String, String> badType = seedHeaders();
        badType.put("CE-Type", "orders.#");
        assertRejected(() -> reader.read(badType, null, bytes("{}")), 400, "ce-type");
        Map<String, String> conflicting = seedHeaders();
        conflicting.put("ce-meshtopic", "a/b");
        assertRejected(() -> reader.read(conflicting, "a/c", bytes("{}")), ClientError.CONFLICTING_TOPIC, 400, "topic");
    }

    @Test
    void rejectsPayloadOverTheLimitWith413() {
        assertRejected(() -> reader.read(seedHeaders(), null, new byte[1025]), ClientError.PAYLOAD_TOO_LARGE, 413, "body");
        String structured = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\",\"datacontenttype\":\"text/plain\","
                + "\"data\":\"" + "x".repeat(1025) + "\"}";
        assertRejected(() -> reader.read(Map.of("content-type", "application/cloudevents+json"), null, bytes(structured)),
                413, "data");
        assertThat(reader.read(seedHeaders(), null, new byte[1024]).getData().toBytes()).hasSize(1024);
    }

    @Test
    void rejectsBatchAndNonJsonStructuredFormatsWith415() {
        assertRejected(() -> reader.read(Map.of("Content-Type", "application/cloudevents-batch+json"), null, bytes("[]")),
                ClientError.UNSUPPORTED_MEDIA_TYPE, 415, "content-type");
        assertRejected(() -> reader.read(Map.of("Content-Type", "application/cloudevents+avro"), null, bytes("x")),
                415, "content-type");
    }
}
