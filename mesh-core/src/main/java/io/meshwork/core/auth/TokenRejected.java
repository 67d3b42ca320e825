package io.meshwork.core.auth;

import java.util.Objects;

/**
 * A bearer token the mesh does not accept, with the reason in words fit for the client and for
 * logs: it never contains the token itself. No stack trace: a rejected token is an expected
 * outcome.
 */
public final class TokenRejected extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a token was not accepted; the metric label of refused attempts. */
    public enum Reason {
        /** No token was presented. */
        MISSING,
        /** Not a JWT in compact serialisation. */
        MALFORMED,
        /** {@code alg: none}: an unsigned token. */
        UNSIGNED,
        /** A JWS algorithm the mesh does not accept, or a JWE. */
        UNSUPPORTED_ALGORITHM,
        /** The signature does not verify with any known key. */
        BAD_SIGNATURE,
        /** Past {@code exp} (beyond the clock skew). */
        EXPIRED,
        /** Before {@code nbf} (beyond the clock skew). */
        NOT_YET_VALID,
        /** {@code iss} is not the configured issuer. */
        WRONG_ISSUER,
        /** {@code aud} does not name the configured audience. */
        WRONG_AUDIENCE,
        /** A required claim is missing, or a mesh claim has the wrong shape. */
        INVALID_CLAIMS,
        /** The keys could not be fetched (JWKS URL unreachable). */
        KEYS_UNAVAILABLE;

        /** Lower-case label for metrics. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    public TokenRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
