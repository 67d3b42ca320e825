package io.meshwork.edge.internal;

/**
 * The edge's one vocabulary for what went wrong with a client's request, whatever the protocol.
 * Each protocol maps a code to its own answer (an HTTP status with the JSON error body, a gRPC
 * status, an MQTT reason code, an {@code ERROR} control frame); the name is the
 * machine-readable code clients see in JSON bodies, control frames and the
 * {@code mesh-error-code} header.
 */
public enum ClientError {

    // Publishing.
    /** The event breaks a CloudEvents or mesh rule (missing attribute, bad URI, malformed JSON...). */
    INVALID_EVENT,
    /** The payload exceeds the edge's limit. */
    PAYLOAD_TOO_LARGE,
    /** The request's media type or event format is not one the edge reads. */
    UNSUPPORTED_MEDIA_TYPE,
    /** The topic given beside the event is not a valid mesh topic. */
    INVALID_TOPIC,
    /** Two sources of the topic (e.g. a parameter and the meshtopic attribute) disagree. */
    CONFLICTING_TOPIC,
    /** The regional Kafka cluster did not acknowledge the event; retrying with the same id is safe. */
    BROKER_UNAVAILABLE,
    /**
     * Publishes on this topic are held back while a durable subscription of it lags (publisher
     * backpressure); retrying later with the same id is safe.
     */
    THROTTLED,
    /** The payload breaks the schema bound to its topic in the schema registry (edge.schemas.*); the field is the JSON pointer at fault. */
    SCHEMA_VIOLATION,
    /**
     * The schema registry could not be reached and the edge refuses what it cannot check
     * ({@code edge.schemas.unreachable=refuse}); retrying later with the same id is safe.
     */
    SCHEMA_UNAVAILABLE,

    // Subscribing (WebSocket and gRPC streams).
    /** The request's action is neither SUBSCRIBE nor UNSUBSCRIBE. */
    INVALID_ACTION,
    /** The topic pattern is missing or breaks the pattern syntax. */
    INVALID_TOPIC_PATTERN,
    /** The selector does not parse. */
    INVALID_FILTER,
    /** The delivery policy is not one of drop-oldest, conflate, disconnect, durable. */
    INVALID_DELIVERY_POLICY,
    /** The consumer group name is too long or has characters outside [A-Za-z0-9._-]. */
    INVALID_GROUP,
    /** The resume token is malformed, too old, or given to a subscription that is not durable. */
    INVALID_RESUME_TOKEN,
    /** An unsubscribe names a subscription the stream does not hold. */
    NOT_SUBSCRIBED,
    /** A client frame exceeds the request size limit. */
    FRAME_TOO_LARGE,
    /** A client frame is not a request the stream understands. */
    MALFORMED_FRAME,
    /** A kind of frame the stream does not read (e.g. binary WebSocket frames). */
    UNSUPPORTED_FRAME,

    // Security (edge.auth.enabled).
    /** No bearer token, or one the edge does not accept (signature, issuer, audience, expiry, algorithm). */
    UNAUTHENTICATED,
    /** The principal may not publish to this topic, or not every topic the pattern matches. */
    NOT_AUTHORIZED;

    /** Whether the request was refused for its credentials or permissions, which every protocol tells apart. */
    public boolean isAccessDenial() {
        return this == UNAUTHENTICATED || this == NOT_AUTHORIZED;
    }

    /** Whether the client is at fault; {@code false} when the mesh could not serve a valid request. */
    public boolean isClientFault() {
        return this != BROKER_UNAVAILABLE && this != THROTTLED && this != SCHEMA_UNAVAILABLE;
    }
}
