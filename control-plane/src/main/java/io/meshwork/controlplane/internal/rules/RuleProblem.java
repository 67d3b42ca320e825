package io.meshwork.controlplane.internal.rules;

/** A routing rule request the control plane refuses: HTTP status, error code, and the field at fault. */
public final class RuleProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;

    public RuleProblem(int status, String code, String field, String message) {
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
