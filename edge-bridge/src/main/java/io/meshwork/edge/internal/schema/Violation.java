package io.meshwork.edge.internal.schema;

import java.util.Objects;

/**
 * Where and how a payload breaks its schema.
 *
 * @param pointer the JSON pointer (RFC 6901) of the offending value inside the payload; {@code ""}
 *                for the payload as a whole
 * @param message what is wrong there, for the client
 */
public record Violation(String pointer, String message) {

    /** How a refusal names the payload as a whole (its CloudEvents attribute). */
    public static final String WHOLE_PAYLOAD = "data";

    public Violation {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("not a JSON pointer: " + pointer);
        }
    }

    /** The field a refusal names: the pointer, or {@value #WHOLE_PAYLOAD} for the whole payload. */
    public String field() {
        return pointer.isEmpty() ? WHOLE_PAYLOAD : pointer;
    }

    /** Appends {@code segment} to {@code pointer}, escaping it as RFC 6901 says ({@code ~} and {@code /}). */
    public static String child(String pointer, String segment) {
        return pointer + "/" + segment.replace("~", "~0").replace("/", "~1");
    }
}
