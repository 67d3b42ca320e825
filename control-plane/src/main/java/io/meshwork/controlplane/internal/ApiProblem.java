package io.meshwork.controlplane.internal;

/**
 * A request the ops API refuses (a routing rule, an ACL entry): HTTP status, error code, and the
 * field at fault, answered as {@link JsonAnswers#error} by {@link JsonRequests#handle}.
 */
public final class ApiProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    public ApiProblem(int status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
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
