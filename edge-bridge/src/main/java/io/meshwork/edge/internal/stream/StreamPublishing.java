package io.meshwork.edge.internal.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.Routing;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.edge.internal.publish.PublishRequestReader;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.StreamControl;
import io.micrometer.core.instrument.Counter;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishing over a WebSocket stream: a client frame that is a {@code PublishRequest} in proto3
 * JSON (the fields of the gRPC {@code Publish} call) is written to {@code mesh.events} and
 * answered with a {@code PUBLISHED} control frame once Kafka acknowledged it, or an
 * {@code ERROR} frame naming the field at fault.
 */
public final class StreamPublishing {

    private static final Logger LOG = LoggerFactory.getLogger(StreamPublishing.class);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final PublishRequestReader reader;
    private final EventPublisher publisher;
    private final String region;
    private final String brokerId;
    private final Counter published;

    public StreamPublishing(PublishRequestReader reader, EventPublisher publisher, String region, String brokerId) {
        this.reader = reader;
        this.publisher = publisher;
        this.region = region;
        this.brokerId = brokerId;
        this.published = Counter.builder("mesh.edge.published").description("Events accepted at the edge")
                .tags("region", region, "protocol", "websocket").register(MeshMetrics.registry());
    }

    /** The frame as a publish request, or {@code null} when it is not one. */
    public static PublishRequest parse(String frame) {
        PublishRequest.Builder request = PublishRequest.newBuilder();
        try {
            PARSER.merge(frame, request);
            return request.build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return null;
        }
    }

    /** Publishes and answers through {@code reply}, which must not block. */
    public void publish(PublishRequest request, Consumer<EventEnvelope> reply) {
        CloudEvent event;
        try {
            event = reader.read(request, null);
        } catch (InvalidEventException e) {
            reply.accept(answer(StreamControl.newBuilder().setType(StreamControl.Type.ERROR).setErrorCode("INVALID_EVENT")
                    .setField(e.field()).setMessage(e.getMessage()).setEventId(request.getEventId())));
            return;
        }
        publisher.publish(new MeshEvent(event, Routing.publishedAt(region, brokerId))).whenComplete((metadata, error) -> {
            if (error != null) {
                LOG.warn("region {}: WebSocket publish of event {} failed: {}", region, event.getId(), error.toString());
                reply.accept(answer(StreamControl.newBuilder().setType(StreamControl.Type.ERROR).setErrorCode("BROKER_UNAVAILABLE")
                        .setField("event_id").setMessage("the regional Kafka cluster did not acknowledge the event: " + error.getMessage())
                        .setEventId(event.getId())));
            } else {
                published.increment();
                reply.accept(answer(StreamControl.newBuilder().setType(StreamControl.Type.PUBLISHED).setEventId(event.getId())));
            }
        });
    }

    private static EventEnvelope answer(StreamControl.Builder control) {
        return EventEnvelope.newBuilder().setControl(control).build();
    }
}
