package io.meshwork.core.trace;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * One hop of a sampled event, as a node reports it on {@code mesh.traces} (JSON).
 *
 * @param eventId      CloudEvents id
 * @param topic        mesh topic
 * @param payloadBytes payload size
 * @param originRegion region of publication
 * @param originBroker node that accepted the event (the origin edge), when known
 * @param path         broker ids (regions) the event has entered, origin first
 * @param kind         what happened at this hop
 * @param region       region of the node reporting the hop
 * @param broker       name of the node reporting the hop (as in the broker directory)
 * @param atMs         when the hop happened, epoch millis
 * @param latencyMs    time since the previous hop (for PUBLISH: from receipt to Kafka's ack)
 * @param fromRegion   for ARRIVAL: the neighbour the event came from; else {@code null}
 * @param traceOnly    whether the event is a dry run
 * @param traceparent  the event's W3C {@code traceparent} extension, or {@code null}: lets a
 *                     collector join the hop to the publisher's own trace (OTLP export)
 */
public record TraceHop(String eventId, String topic, int payloadBytes, String originRegion, String originBroker,
                       List<String> path, HopKind kind, String region, String broker, long atMs, long latencyMs,
                       String fromRegion, boolean traceOnly, String traceparent) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A hop of an event that carries no {@code traceparent}. */
    public TraceHop(String eventId, String topic, int payloadBytes, String originRegion, String originBroker,
                    List<String> path, HopKind kind, String region, String broker, long atMs, long latencyMs,
                    String fromRegion, boolean traceOnly) {
        this(eventId, topic, payloadBytes, originRegion, originBroker, path, kind, region, broker, atMs, latencyMs, fromRegion,
                traceOnly, null);
    }

    @JsonCreator
    public TraceHop {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(originRegion, "originRegion");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(broker, "broker");
        path = path == null ? List.of() : List.copyOf(path);
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("payloadBytes must not be negative, was " + payloadBytes);
        }
        latencyMs = Math.max(0, latencyMs);
    }

    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode trace hop of event " + eventId, e);
        }
    }

    /** @throws IllegalArgumentException if {@code bytes} is not a trace hop (a hop without {@code traceparent} is one) */
    public static TraceHop decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, TraceHop.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a trace hop: " + e.getMessage(), e);
        }
    }
}
