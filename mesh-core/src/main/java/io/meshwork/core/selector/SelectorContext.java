package io.meshwork.core.selector;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Selector} is evaluated against: one event's headers and payload. Build one per
 * event and evaluate any number of selectors against it.
 *
 * <h2>Identifier resolution</h2>
 *
 * <table>
 *   <caption>How a selector identifier finds its value</caption>
 *   <tr><th>identifier</th><th>looked up as</th></tr>
 *   <tr><td>{@code headers.<name>}</td>
 *       <td>header {@code <name>}; if there is no such header, payload field {@code <name>}
 *       (so {@code headers.amountCents > 10000} works whether {@code amountCents} travels as a
 *       CloudEvents extension or only in the JSON body)</td></tr>
 *   <tr><td>{@code payload.<name>}, {@code payload.a.b}</td>
 *       <td>payload field only (nested: field {@code b} of object field {@code a})</td></tr>
 *   <tr><td>{@code <name>}, {@code a.b}</td>
 *       <td>payload field; if there is none, header {@code <name>} (so
 *       {@code amountCents > 10000} reads a JSON body and {@code region IN ('ap','eu')} a
 *       header)</td></tr>
 * </table>
 *
 * <p><b>Headers</b> are the event's CloudEvents attributes and extensions under their
 * CloudEvents names ({@code type}, {@code source}, {@code region}, ...). A name is looked up as
 * written, then in lower case, because CloudEvents names are lower case: an extension sent as
 * {@code ce-amountCents} arrives as {@code amountcents} and still answers
 * {@code headers.amountCents}. Values are typed: a JSON-style number is a {@code Long} when
 * integral and within range, else a {@code Double}; exactly {@code true}/{@code false} is a
 * {@code Boolean}; anything else (including {@code 007}) is a string. So
 * {@code headers.attempt = 3} matches the header {@code 3}, and {@code headers.attempt = '3'}
 * does not.
 *
 * <p><b>Payload fields</b> exist only when the payload is JSON: the content type is
 * {@code application/json} or ends in {@code +json} (parameters and case ignored), or there is
 * no content type and the payload starts with <code>{</code>. The top level must be an object;
 * path segments name object fields. JSON strings, booleans and numbers ({@code Long} when
 * integral and within range, else {@code Double}) are comparable; JSON null, objects and arrays
 * are not and read as absent. A payload that is not JSON or is malformed has no fields; it is
 * never an error.
 *
 * <p>An absent value is SQL NULL: comparisons with it are UNKNOWN and the selector does not
 * match (see {@link Selector}).
 *
 * <p>The payload is parsed lazily, at most once per context, and only when a selector asks
 * for a payload field (a {@code headers.*} identifier whose header exists never does). A
 * context may be shared between threads. The header map and payload array are used as given,
 * not copied: do not change them while selectors are evaluated.
 */
public final class SelectorContext {

    private final Map<String, String> headers;
    private final byte[] payload;
    private final String contentType;
    private volatile JsonNode payloadRoot;

    private SelectorContext(Map<String, String> headers, byte[] payload, String contentType) {
        this.headers = headers;
        this.payload = payload;
        this.contentType = contentType;
    }

    /**
     * The context of one event.
     *
     * @param headers the event's CloudEvents attributes and extensions by name; never null
     * @param payload the event's data; null for none
     * @param contentType the data's media type ({@code datacontenttype}); null if unknown
     * @return a context to evaluate selectors against
     * @throws NullPointerException if {@code headers} is null
     */
    public static SelectorContext of(Map<String, String> headers, byte[] payload, String contentType) {
        Objects.requireNonNull(headers, "headers");
        return new SelectorContext(headers, payload == null ? new byte[0] : payload, contentType);
    }

    /** The typed value of a header, trying {@code name} and then {@code lowerCaseName}. */
    Object header(String name, String lowerCaseName) {
        String value = headers.get(name);
        if (value == null && !lowerCaseName.equals(name)) {
            value = headers.get(lowerCaseName);
        }
        return HeaderValues.typed(value);
    }

    /** The comparable value of a payload field, or null. */
    Object payloadField(String[] path) {
        return JsonPayload.field(payloadRoot(), path);
    }

    /** Whether the payload has been parsed; for tests of the laziness. */
    boolean payloadParsed() {
        return payloadRoot != null;
    }

    private JsonNode payloadRoot() {
        JsonNode root = payloadRoot;
        if (root == null) {
            synchronized (this) {
                root = payloadRoot;
                if (root == null) {
                    root = JsonPayload.parseObject(payload, contentType);
                    payloadRoot = root;
                }
            }
        }
        return root;
    }
}
