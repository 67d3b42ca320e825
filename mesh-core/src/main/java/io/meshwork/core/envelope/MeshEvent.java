package io.meshwork.core.envelope;

import io.cloudevents.CloudEvent;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A CloudEvent as the mesh carries it: the event itself, which always holds its mesh topic in
 * the {@code meshtopic} extension, and the routing bookkeeping.
 */
public record MeshEvent(CloudEvent event, Routing routing) {

    public MeshEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(routing, "routing");
        Object topic = event.getExtension(MeshHeaders.MESH_TOPIC_EXTENSION);
        if (!(topic instanceof String)) {
            throw new IllegalArgumentException("event " + event.getId() + " has no meshtopic extension");
        }
        try {
            TopicName.of((String) topic);
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException("event " + event.getId() + ": " + e.getMessage(), e);
        }
    }

    /** The mesh topic the event was published on. */
    public TopicName topic() {
        return TopicName.of((String) event.getExtension(MeshHeaders.MESH_TOPIC_EXTENSION));
    }

    /** The event id (CloudEvents {@code id}). */
    public String id() {
        return event.getId();
    }

    /**
     * What selectors see of this event (its headers and, for JSON, its payload fields), built on
     * the first call only, so that events nobody filters cost nothing.
     */
    public Supplier<SelectorContext> selectorContext() {
        SelectorContext[] built = new SelectorContext[1];
        return () -> {
            if (built[0] == null) {
                built[0] = SelectorContext.of(EnvelopeMapper.headers(event), payload(), event.getDataContentType());
            }
            return built[0];
        };
    }

    /** The payload bytes, empty when the event carries no data. */
    public byte[] payload() {
        return event.getData() == null ? new byte[0] : event.getData().toBytes();
    }
}
