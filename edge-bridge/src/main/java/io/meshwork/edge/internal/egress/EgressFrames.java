package io.meshwork.edge.internal.egress;

import io.meshwork.edge.internal.stream.StreamFrames;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;

/**
 * What a connection writes for a polled {@link EgressEntry}: the shared event as it is, or, after a
 * loss, a copy that carries {@code dropped_before} (rendered for that one connection only, so the
 * fast path stays one rendering per event).
 */
public final class EgressFrames {

    private EgressFrames() {
    }

    /** The entry as a protobuf frame (gRPC). */
    public static EventEnvelope envelope(EgressEntry entry) {
        EventEnvelope envelope = entry.frame().envelope();
        return entry.droppedBefore() == 0 ? envelope : envelope.toBuilder().setDroppedBefore(entry.droppedBefore()).build();
    }

    /** The entry as proto3 JSON (WebSocket). */
    public static String json(EgressEntry entry) {
        return entry.droppedBefore() == 0 ? entry.frame().json() : StreamFrames.toJson(envelope(entry));
    }

    /** The {@code DISCONNECTED} control frame sent before the edge ends a connection under the disconnect policy. */
    public static EventEnvelope disconnected(String reason) {
        return StreamFrames.control(StreamControl.newBuilder().setType(StreamControl.Type.DISCONNECTED).setMessage(reason));
    }
}
