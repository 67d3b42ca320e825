package io.meshwork.core.envelope;

import com.google.protobuf.ByteString;
import io.cloudevents.CloudEvent;
import io.meshwork.schema.v1.EventEnvelope;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a mesh event to the seed's {@code EventEnvelope}, the frame subscribers receive on gRPC
 * and (as proto3 JSON) on WebSocket.
 *
 * <p>{@code headers} holds every CloudEvents context attribute and extension under its
 * CloudEvents name ({@code id}, {@code source}, {@code type}, {@code specversion}, {@code time},
 * {@code datacontenttype}, {@code meshtopic}, ...), as strings in their canonical form.
 */
public final class EnvelopeMapper {

    private EnvelopeMapper() {
    }

    /**
     * @param publishTimestampMs when the origin edge accepted the event (the Kafka record's
     *                           create time in the origin region)
     */
    public static EventEnvelope toEnvelope(MeshEvent meshEvent, long publishTimestampMs) {
        CloudEvent event = meshEvent.event();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(event.getId())
                .setTopic(meshEvent.topic().value())
                .setPayloadBytes(ByteString.copyFrom(meshEvent.payload()))
                .setPublishTimestampMs(publishTimestampMs)
                .addAllRoutingPath(meshEvent.routing().path())
                .putAllHeaders(headers(event));
        return envelope.build();
    }

    /**
     * Every context attribute and extension of {@code event} under its CloudEvents name, as
     * canonical strings: the envelope's {@code headers}, and what selectors see as {@code headers.*}.
     */
    public static Map<String, String> headers(CloudEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : event.getAttributeNames()) {
            Object value = event.getAttribute(name);
            if (value != null) {
                headers.put(name, canonical(value));
            }
        }
        for (String name : event.getExtensionNames()) {
            headers.put(name, canonical(event.getExtension(name)));
        }
        return headers;
    }

    private static String canonical(Object value) {
        if (value instanceof TemporalAccessor) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format((TemporalAccessor) value);
        }
        if (value instanceof byte[]) {
            return Base64.getEncoder().encodeToString((byte[]) value);
        }
        return value.toString();
    }
}
