package io.meshwork.core.selector;

import static io.meshwork.core.selector.Events.headers;
import static io.meshwork.core.selector.Events.json;
import static io.meshwork.core.selector.Events.matches;
import static io.meshwork.core.selector.Events.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelectorContextTest {

    private static final String SEED_PAYLOAD = "{\"amountCents\":14900,\"currency\":\"USD\"}";

    @Test
    void matchesTheSeedSelectorOverAJsonPayload() {
        assertThat(matches("amountCents > 10000 AND currency = 'USD'", json(SEED_PAYLOAD))).isTrue();
        assertThat(matches("amountCents > 20000 AND currency = 'USD'", json(SEED_PAYLOAD))).isFalse();
        assertThat(matches("amountCents > 10000 AND currency = 'EUR'", json(SEED_PAYLOAD))).isFalse();
    }

    @Test
    void readsHeadersDotNameFromAHeader() {
        SelectorContext context = headers(Map.of("amountCents", "14900"));
        assertThat(matches("headers.amountCents > 10000", context)).isTrue();
        assertThat(matches("headers.amountCents > 20000", context)).isFalse();
    }

    @Test
    void fallsBackFromHeadersDotNameToThePayloadFieldWhenThereIsNoSuchHeader() {
        assertThat(matches("headers.amountCents > 10000", json(SEED_PAYLOAD))).isTrue();
        assertThat(matches("headers.amountCents > 20000", json(SEED_PAYLOAD))).isFalse();
    }

    @Test
    void prefersTheHeaderForHeadersDotNameAndThePayloadForAPlainName() {
        SelectorContext both = json(Map.of("amountCents", "5"), SEED_PAYLOAD);
        assertThat(matches("headers.amountCents = 5", both)).isTrue();
        assertThat(matches("amountCents = 14900", both)).isTrue();
        assertThat(matches("payload.amountCents = 14900", both)).isTrue();
    }

    @Test
    void fallsBackFromAPlainNameToAHeaderWhenThePayloadHasNoSuchField() {
        SelectorContext context = json(Map.of("region", "ap", "type", "orders.created"), SEED_PAYLOAD);
        assertThat(matches("region IN ('ap','eu')", context)).isTrue();
        assertThat(matches("region IN ('us')", context)).isFalse();
        assertThat(matches("type = 'orders.created' AND amountCents > 10000", context)).isTrue();
    }

    @Test
    void neverReadsHeadersForPayloadDotName() {
        SelectorContext context = json(Map.of("region", "ap"), SEED_PAYLOAD);
        assertThat(matches("payload.region IS NULL", context)).isTrue();
        assertThat(matches("payload.currency = 'USD'", context)).isTrue();
    }

    @Test
    void matchesTheSeedsDottedHeaderSelector() {
        Selector selector = Selector.parse("headers.region IN ('ap','eu')");
        assertThat(selector.matches(headers(Map.of("region", "ap")))).isTrue();
        assertThat(selector.matches(headers(Map.of("region", "eu")))).isTrue();
        assertThat(selector.matches(headers(Map.of("region", "us")))).isFalse();
        assertThat(selector.matches(headers(Map.of()))).isFalse();
        assertThat(Selector.parse("\"headers.region\" IN ('ap','eu')").matches(headers(Map.of("region", "ap"))))
                .isTrue();
    }

    @Test
    void findsCloudEventsLowerCaseNamesForCamelCaseIdentifiers() {
        SelectorContext context = headers(Map.of("amountcents", "14900"));
        assertThat(matches("headers.amountCents > 10000", context)).isTrue();
        assertThat(matches("amountCents > 10000", context)).isTrue();
    }

    @Test
    void prefersTheExactlyNamedHeaderOverItsLowerCaseTwin() {
        SelectorContext context = headers(Map.of("Mode", "exact", "mode", "lower"));
        assertThat(matches("headers.Mode = 'exact'", context)).isTrue();
        assertThat(matches("headers.mode = 'lower'", context)).isTrue();
    }

    @Test
    void readsNestedPayloadFields() {
        SelectorContext context = json("{\"customer\":{\"address\":{\"country\":\"SG\"}},\"a.b\":1}");
        assertThat(matches("customer.address.country = 'SG'", context)).isTrue();
        assertThat(matches("payload.customer.address.country = 'SG'", context)).isTrue();
        assertThat(matches("headers.customer.address.country = 'SG'", context)).isTrue();
        assertThat(matches("customer.address = 'SG'", context)).isFalse();
        assertThat(matches("customer.address.country.code IS NULL", context)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "application/json", "application/json; charset=utf-8", "Application/JSON",
        "application/cloudevents+json", "application/vnd.orders.v1+json ; charset=UTF-8"
    })
    void readsPayloadFieldsForJsonContentTypes(String contentType) {
        assertThat(matches("amountCents > 10000", payload(SEED_PAYLOAD, contentType))).isTrue();
    }

    @Test
    void sniffsJsonWhenThereIsNoContentType() {
        assertThat(matches("amountCents > 10000", payload(SEED_PAYLOAD, null))).isTrue();
        assertThat(matches("amountCents > 10000", payload(" \n\t" + SEED_PAYLOAD, null))).isTrue();
        assertThat(matches("amountCents IS NULL", payload("[" + SEED_PAYLOAD + "]", null))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text/plain", "application/octet-stream", "application/xml", "text/json-ish"})
    void doesNotMatchPayloadIdentifiersOnANonJsonPayload(String contentType) {
        SelectorContext context = payload(SEED_PAYLOAD, contentType);
        assertThat(matches("amountCents > 10000", context)).isFalse();
        assertThat(matches("NOT (amountCents > 10000)", context)).isFalse();
        assertThat(matches("amountCents IS NULL", context)).isTrue();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "{\"amountCents\":14900,", "{amountCents: 14900}", "not json at all", "", "{\"a\":\"\\x\"}", "\u00ff\u00fe"
    })
    void doesNotMatchNorThrowOnAMalformedJsonPayload(String body) {
        SelectorContext context = payload(body, "application/json");
        assertThat(matches("amountCents > 10000", context)).isFalse();
        assertThat(matches("amountCents IS NULL", context)).isTrue();
    }

    @Test
    void readsJsonPayloadsThatAreNotObjectsAsHavingNoFields() {
        assertThat(matches("amountCents IS NULL", payload("[1,2,3]", "application/json"))).isTrue();
        assertThat(matches("amountCents IS NULL", payload("42", "application/json"))).isTrue();
        assertThat(matches("amountCents IS NULL", payload("null", "application/json"))).isTrue();
    }

    @Test
    void treatsAMissingPayloadAsHavingNoFields() {
        assertThat(matches("amountCents IS NULL", SelectorContext.of(Map.of(), null, "application/json"))).isTrue();
        assertThat(matches("amountCents IS NULL", SelectorContext.of(Map.of(), new byte[0], null))).isTrue();
    }

    @Test
    void parsesThePayloadOnlyWhenASelectorAsksForAPayloadField() {
        SelectorContext context = json(Map.of("region", "ap", "amountCents", "1"), SEED_PAYLOAD);
        assertThat(matches("headers.region = 'ap' AND headers.amountCents = 1", context)).isTrue();
        assertThat(context.payloadParsed()).isFalse();

        assertThat(matches("currency = 'USD'", context)).isTrue();
        assertThat(context.payloadParsed()).isTrue();
    }

    @Test
    void parsesThePayloadWhenAHeadersIdentifierFallsBackToIt() {
        SelectorContext context = json(SEED_PAYLOAD);
        assertThat(matches("headers.region IS NULL", context)).isTrue();
        assertThat(context.payloadParsed()).isTrue();
    }

    @Test
    void neverParsesThePayloadForTheAcceptAllSelector() {
        SelectorContext context = json(SEED_PAYLOAD);
        assertThat(Selector.ACCEPT_ALL.matches(context)).isTrue();
        assertThat(context.payloadParsed()).isFalse();
    }

    @Test
    void readsUtf8Payloads() {
        SelectorContext context = SelectorContext.of(
                Map.of(), "{\"city\":\"M\u00fcnchen\"}".getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(matches("city = 'M\u00fcnchen'", context)).isTrue();
    }

    @Test
    void rejectsNullHeaders() {
        assertThatNullPointerException().isThrownBy(() -> SelectorContext.of(null, new byte[0], null));
    }
}
