package io.meshwork.edge.internal.stream;

import io.meshwork.schema.v1.EventEnvelope;
import java.util.Objects;

/**
 * An event on its way to subscribers. The proto3 JSON form is rendered at most once, however
 * many WebSocket subscribers receive the event.
 */
public final class OutboundEvent {

    private final EventEnvelope envelope;
    private String json;

    public OutboundEvent(EventEnvelope envelope) {
        this.envelope = Objects.requireNonNull(envelope, "envelope");
    }

    public EventEnvelope envelope() {
        return envelope;
    }

    /**
     * The envelope as proto3 JSON. An event's is first rendered on the single delivery thread (to
     * size it for each connection's queue), before any connection's writer reads it.
     */
    public String json() {
        if (json == null) {
            json = StreamFrames.toJson(envelope);
        }
        return json;
    }
}
