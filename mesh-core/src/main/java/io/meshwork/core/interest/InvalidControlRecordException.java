package io.meshwork.core.interest;

import java.util.Objects;

/**
 * Bytes on {@code mesh.routes} that are not a control record this release can read: they do not
 * parse, carry a kind it does not know, or lack a required field. Names the field at fault
 * ({@code kind}, {@code version}, {@code advert.origin}, ...), which routers put on the record
 * they send to {@code mesh.dlq}.
 */
public final class InvalidControlRecordException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidControlRecordException(String field, String message) {
        super(message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public InvalidControlRecordException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = Objects.requireNonNull(field, "field");
    }

    /** The field that is missing, unknown or wrong; {@code value} when the bytes do not parse at all. */
    public String field() {
        return field;
    }
}
