package io.meshwork.edge.internal.http;

import java.util.Objects;

/**
 * A request the edge refuses, with the HTTP status, a machine-readable code and the field at
 * fault. Rendered as {@code {"status":400,"error":"INVALID_ATTRIBUTE","field":"ce-id","message":"..."}}.
 */
public final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    public ApiError(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.field = Objects.requireNonNull(field, "field");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
