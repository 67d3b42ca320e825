package io.meshwork.edge.mqtt.interop;

import java.util.Objects;

/** The outcome of one case: passed, or failed with a reason naming the statement it checks. */
public record CaseResult(String version, String name, boolean passed, String reason) {

    public CaseResult {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        if (!passed && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a failed case needs a reason: " + name);
        }
        reason = reason == null ? "" : reason;
    }

    static CaseResult pass(String version, String name, String note) {
        return new CaseResult(version, name, true, note);
    }

    static CaseResult fail(String version, String name, String reason) {
        return new CaseResult(version, name, false, reason);
    }
}
