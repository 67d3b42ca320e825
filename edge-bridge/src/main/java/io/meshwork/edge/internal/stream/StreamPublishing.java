package io.meshwork.edge.internal.stream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.publish.PublishRequestReader;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.StreamControl;
import java.util.function.Consumer;

/**
 * Publishing over a WebSocket stream: a client frame that is a {@code PublishRequest} in proto3
 * JSON (the fields of the gRPC {@code Publish} call) goes through the edge's {@link Ingress} and is
 * answered with a {@code PUBLISHED} control frame once Kafka acknowledged it, or an {@code ERROR}
 * frame naming the field at fault.
 *
 * <p>Error codes: {@code BROKER_UNAVAILABLE} when Kafka did not take the event, {@code THROTTLED}
 * while the topic is throttled for a lagging durable subscription, and
 * {@code INVALID_EVENT} for every rule the event breaks (payload size and topic included), as
 * WebSocket publishers have always been answered.
 */
public final class StreamPublishing {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final PublishRequestReader reader;
    private final Ingress ingress;

    /** @param ingress answers on Jetty's threads, so that Kafka's I/O thread never writes to a socket */
    public StreamPublishing(PublishRequestReader reader, Ingress ingress) {
        this.reader = reader;
        this.ingress = ingress;
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
        publish(request, null, reply);
    }

    /**
     * Publishes for a client with {@code access} and answers through {@code reply}, which must not block.
     *
     * @param access {@code null}: the ingress's own (open with auth off)
     */
    public void publish(PublishRequest request, Access access, Consumer<EventEnvelope> reply) {
        long received = System.nanoTime();
        (access == null ? ingress.publish(received, () -> reader.read(request, null))
                : ingress.publish(received, access, () -> reader.read(request, null))).whenComplete((accepted, error) -> {
            StreamControl.Builder control = StreamControl.newBuilder().setEventId(request.getEventId());
            if (error == null) {
                control.setType(StreamControl.Type.PUBLISHED);
            } else {
                Refusal refusal = Refusal.of(error);
                control.setType(StreamControl.Type.ERROR)
                        .setErrorCode(refusal.error().isClientFault() && !refusal.error().isAccessDenial()
                                ? ClientError.INVALID_EVENT.name() : refusal.error().name())
                        .setField(refusal.field())
                        .setMessage(refusal.getMessage());
            }
            reply.accept(StreamFrames.control(control));
        });
    }
}
