package io.meshwork.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.schema.v1.StreamControl;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every bad input of the publish API and the stream gets a protocol-level answer naming what is
 * wrong, and nothing already accepted is lost.
 */
@Tag("integration")
@Timeout(120)
class EdgeBadInputIntegrationTest {

    private static EdgeOnKafka fixture;
    private static Publisher publisher;
    private static String streamUrl;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("eu-west-1");
        publisher = fixture.publisher;
        streamUrl = fixture.streamUrl;
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static Map<String, String> seedHeadersWith(String header, String value) {
        Map<String, String> headers = new HashMap<>(Map.of(
                "Content-Type", "application/json",
                "CE-SpecVersion", "1.0",
                "CE-Type", "com.codesprintpro.order.created",
                "CE-Source", "/billing/checkout",
                "CE-ID", "evt-" + UUID.randomUUID()));
        if (value == null) {
            headers.remove(header);
        } else {
            headers.put(header, value);
        }
        return headers;
    }

    private static void assertError(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"status\":" + status).contains("\"field\":\"" + field + "\"");
    }

    @Test
    void missingOrEmptyRequiredAttributesAre400NamingTheHeader() throws Exception {
        byte[] body = Publisher.SEED_BODY.getBytes(StandardCharsets.UTF_8);
        for (String header : new String[] {"CE-ID", "CE-Type", "CE-Source", "CE-SpecVersion"}) {
            assertError(publisher.publish(seedHeadersWith(header, null), body, ""), 400, header.toLowerCase());
            assertError(publisher.publish(seedHeadersWith(header, ""), body, ""), 400, header.toLowerCase());
        }
    }

    @Test
    void unsupportedSpecVersionIs400() throws Exception {
        var response = publisher.publish(seedHeadersWith("CE-SpecVersion", "0.3"), "{}".getBytes(StandardCharsets.UTF_8), "");
        assertError(response, 400, "ce-specversion");
        assertThat(response.body()).contains("unsupported CloudEvents specversion '0.3'");
    }

    @Test
    void malformedStructuredJsonIs400NamingTheBody() throws Exception {
        var response = publisher.publish(Map.of("Content-Type", "application/cloudevents+json"),
                "{\"specversion\":\"1.0\",".getBytes(StandardCharsets.UTF_8), "");
        assertError(response, 400, "body");
        assertThat(response.body()).contains("malformed JSON");
    }

    @Test
    void invalidTopicIs400() throws Exception {
        assertError(publisher.publish(seedHeadersWith("ce-meshtopic", "orders/#/x"), new byte[0], ""), 400, "ce-meshtopic");
        assertError(publisher.publish(seedHeadersWith("CE-ID", "x"), new byte[0], "?topic=a/%2B"), 400, "topic");
    }

    @Test
    void payloadOverTheLimitIs413() throws Exception {
        byte[] oversized = new byte[EdgeConfig.DEFAULT_MAX_PAYLOAD_BYTES + 1];
        assertError(publisher.publish(seedHeadersWith("Content-Type", "application/octet-stream"), oversized, ""), 413, "body");
        byte[] farOversized = new byte[3 * EdgeConfig.DEFAULT_MAX_PAYLOAD_BYTES];
        assertError(publisher.publish(seedHeadersWith("Content-Type", "application/octet-stream"), farOversized, ""), 413, "body");
    }

    @Test
    void batchAndUnknownStructuredFormatsAre415() throws Exception {
        assertError(publisher.publish(Map.of("Content-Type", "application/cloudevents-batch+json"),
                "[]".getBytes(StandardCharsets.UTF_8), ""), 415, "content-type");
        assertError(publisher.publish(Map.of("Content-Type", "application/cloudevents+protobuf"),
                "x".getBytes(StandardCharsets.UTF_8), ""), 415, "content-type");
    }

    @Test
    void badFramesGetErrorFramesAndTheConnectionAndItsSubscriptionsStayUp() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl)) {
            subscriber.subscribe("alerts/#");

            subscriber.send("{not json");
            assertThat(subscriber.awaitError(0).getErrorCode()).isEqualTo("MALFORMED_FRAME");
            subscriber.send("{\"topicPatern\":\"alerts/#\"}");
            StreamControl unknownField = subscriber.awaitError(1);
            assertThat(unknownField.getErrorCode()).isEqualTo("MALFORMED_FRAME");
            assertThat(unknownField.getMessage()).contains("topicPatern");
            subscriber.send("{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"alerts/#/x\"}");
            StreamControl badPattern = subscriber.awaitError(2);
            assertThat(badPattern.getErrorCode()).isEqualTo("INVALID_TOPIC_PATTERN");
            assertThat(badPattern.getField()).isEqualTo("topic_pattern");
            assertThat(badPattern.getMessage()).contains("'#' must be the last level");
            subscriber.send("{\"action\":\"SUBSCRIBE\"}");
            assertThat(subscriber.awaitError(3).getField()).isEqualTo("topic_pattern");
            subscriber.send("{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"" + "a/".repeat(40_000) + "\"}");
            assertThat(subscriber.awaitError(4).getErrorCode()).isEqualTo("FRAME_TOO_LARGE");
            subscriber.sendBinary(new byte[] {1, 2, 3});
            assertThat(subscriber.awaitError(5).getErrorCode()).isEqualTo("UNSUPPORTED_FRAME");
            subscriber.send("{\"action\":\"UNSUBSCRIBE\",\"topicPattern\":\"never/subscribed\"}");
            assertThat(subscriber.awaitError(6).getErrorCode()).isEqualTo("NOT_SUBSCRIBED");
            subscriber.send("{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"alerts/x\",\"filterExpression\":\"amountCents >\"}");
            StreamControl badFilter = subscriber.awaitError(7);
            assertThat(badFilter.getErrorCode()).isEqualTo("INVALID_FILTER");
            assertThat(badFilter.getField()).isEqualTo("filter_expression");
            assertThat(badFilter.getMessage()).contains("position");

            String id = "evt-" + UUID.randomUUID();
            assertThat(publisher.publishOn("alerts/disk", id, "{}").statusCode()).isEqualTo(202);
            subscriber.awaitEvent(id);
            assertThat(subscriber.isOpen()).isTrue();
        }
    }

    @Test
    void controlFramesNameTheirTypeAndErrorCodeInHeaders() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl)) {
            subscriber.subscribe("headers/#");
            subscriber.send("{\"action\":\"SUBSCRIBE\",\"topicPattern\":\"headers/#/x\"}");
            subscriber.awaitError(0);

            assertThat(subscriber.awaitFrame(f -> f.getControl().getType() == StreamControl.Type.SUBSCRIBED).getHeadersMap())
                    .containsExactly(Map.entry("mesh-control", "SUBSCRIBED"));
            assertThat(subscriber.awaitFrame(f -> f.getControl().getType() == StreamControl.Type.ERROR).getHeadersMap())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("mesh-control", "ERROR", "mesh-error-code", "INVALID_TOPIC_PATTERN"));
            assertThat(subscriber.isOpen()).isTrue();
        }
    }

    @Test
    void eventsAcceptedBeforeABadRequestAreStillDelivered() throws Exception {
        try (StreamClient subscriber = StreamClient.connect(streamUrl)) {
            subscriber.subscribe("audit/#");
            String accepted = "evt-" + UUID.randomUUID();
            assertThat(publisher.publishOn("audit/login", accepted, "{}").statusCode()).isEqualTo(202);
            assertError(publisher.publish(seedHeadersWith("CE-ID", null), new byte[0], ""), 400, "ce-id");
            String after = "evt-" + UUID.randomUUID();
            assertThat(publisher.publishOn("audit/logout", after, "{}").statusCode()).isEqualTo(202);

            subscriber.awaitEvent(after);
            assertThat(subscriber.events()).extracting(e -> e.getEventId()).containsExactly(accepted, after);
        }
    }
}
