package io.meshwork.core.envelope;

import java.util.Objects;

/**
 * An input that is not a valid mesh event. Names the offending field as the client sent it
 * (a Kafka header such as {@code ce_id}, an HTTP header such as {@code ce-type}, or a JSON member),
 * so that the error returned to the client can point at it.
 */
public final class InvalidEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidEventException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public InvalidEventException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The field that is missing or wrong. */
    public String field() {
        return field;
    }
}
