package io.meshwork.edge.internal;

import java.util.Objects;

/**
 * A request the edge refuses: the {@link ClientError} code, the field at fault as the client
 * named it on its wire ({@code ce-id}, {@code topic_pattern}, {@code payload_bytes}...) and a
 * message saying what is wrong. Thrown by the protocol readers and request rules, and carried by
 * failed publishes; each protocol turns it into its own answer.
 *
 * <p>No stack trace is captured: a refusal is an expected outcome, never logged as a fault.
 */
public final class Refusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ClientError error;
    private final String field;

    public Refusal(ClientError error, String field, String message) {
        this(error, field, message, null);
    }

    /** @param cause what the broker reported, for {@link ClientError#BROKER_UNAVAILABLE}; may be {@code null} */
    public Refusal(ClientError error, String field, String message, Throwable cause) {
        super(message, cause, false, false);
        this.error = Objects.requireNonNull(error, "error");
        this.field = Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    public ClientError error() {
        return error;
    }

    public String field() {
        return field;
    }

    /** {@code field: message}, the form gRPC descriptions and MQTT reason strings use. */
    public String describe() {
        return field + ": " + getMessage();
    }

    /**
     * The refusal behind a failed future's error.
     *
     * @throws IllegalStateException when {@code error} carries no refusal: a bug, not a client's doing
     */
    public static Refusal of(Throwable error) {
        Throwable cause = error;
        while (cause != null && !(cause instanceof Refusal)) {
            cause = cause.getCause();
        }
        if (cause == null) {
            throw new IllegalStateException("not a refusal: " + error, error);
        }
        return (Refusal) cause;
    }
}
