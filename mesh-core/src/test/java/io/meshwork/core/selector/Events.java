package io.meshwork.core.selector;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Selector contexts for tests. */
final class Events {

    private Events() {
    }

    static SelectorContext headers(Map<String, String> headers) {
        return SelectorContext.of(headers, null, null);
    }

    static SelectorContext json(String json) {
        return json(Map.of(), json);
    }

    static SelectorContext json(Map<String, String> headers, String json) {
        return SelectorContext.of(headers, json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    static SelectorContext payload(String payload, String contentType) {
        return SelectorContext.of(Map.of(), payload.getBytes(StandardCharsets.UTF_8), contentType);
    }

    static boolean matches(String selector, SelectorContext context) {
        return Selector.parse(selector).matches(context);
    }
}
