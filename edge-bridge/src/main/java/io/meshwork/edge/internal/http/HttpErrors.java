package io.meshwork.edge.internal.http;

import io.javalin.http.Context;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.PublishThrottle;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The HTTP answer to a {@link Refusal}: a status and the edge's JSON error body
 * {@code {"status":400,"error":"INVALID_EVENT","field":"ce-id","message":"..."}}.
 */
public final class HttpErrors {

    private HttpErrors() {
    }

    /** The status for {@code refusal}: 400, 413 or 415 for bad input; 401 / 403 without credentials or permission; 429 when throttled; 503 (or 500) when Kafka did not take the event, 503 when the schema registry cannot be reached. */
    public static int status(Refusal refusal) {
        return switch (refusal.error()) {
            case PAYLOAD_TOO_LARGE, FRAME_TOO_LARGE -> 413;
            case THROTTLED -> 429;
            case SCHEMA_UNAVAILABLE -> 503;
            case UNAUTHENTICATED -> 401;
            case NOT_AUTHORIZED -> 403;
            case UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_FRAME -> 415;
            // A failure Kafka calls retriable (no leader, timeout) is temporary; anything else is the edge's fault.
            case BROKER_UNAVAILABLE -> refusal.getCause() == null || refusal.getCause() instanceof RetriableException ? 503 : 500;
            case INVALID_EVENT, SCHEMA_VIOLATION, INVALID_TOPIC, CONFLICTING_TOPIC, INVALID_ACTION, INVALID_TOPIC_PATTERN, INVALID_FILTER,
                 INVALID_DELIVERY_POLICY, INVALID_GROUP, INVALID_RESUME_TOKEN, NOT_SUBSCRIBED, MALFORMED_FRAME -> 400;
        };
    }

    /** Answers {@code refusal} with its status and JSON error body (and Retry-After when throttled). */
    public static void respond(Context ctx, Refusal refusal) {
        if (refusal.getCause() instanceof PublishThrottle.RetryAfter retryAfter) {
            ctx.header("Retry-After", Long.toString(retryAfter.seconds()));
        }
        if (refusal.error() == ClientError.UNAUTHENTICATED) {
            ctx.header("WWW-Authenticate", "Bearer"); // RFC 6750
        }
        JsonResponse.error(ctx, status(refusal), refusal.error().name(), refusal.field(), refusal.getMessage());
    }

    /** The code of a status Javalin or Jetty refused a request with before the edge read it. */
    public static String code(int status) {
        return status == 413 ? ClientError.PAYLOAD_TOO_LARGE.name() : "HTTP_" + status;
    }
}
