package io.meshwork.edge.internal.grpc;

import io.meshwork.edge.internal.publish.PublishRequestReader;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.cloudevents.CloudEvent;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.Routing;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.edge.internal.publish.EventPublisher;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishResponse;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PublishService.Publish}: the gRPC counterpart of {@code POST /v1/events/publish}. Answers
 * once Kafka acknowledged the event; a bad event gets {@code INVALID_ARGUMENT} whose description
 * starts with the field at fault (also given as a {@code google.rpc.BadRequest} detail), a Kafka
 * failure {@code UNAVAILABLE}.
 */
final class PublishEndpoint extends PublishServiceGrpc.PublishServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(PublishEndpoint.class);

    private final PublishRequestReader reader;
    private final EventPublisher publisher;
    private final String region;
    private final String brokerId;
    private final Executor executor;
    private final Counter published;

    /** @param executor where answers are written, so that Kafka's I/O thread only completes futures */
    PublishEndpoint(PublishRequestReader reader, EventPublisher publisher, String region, String brokerId, Executor executor) {
        this.reader = reader;
        this.publisher = publisher;
        this.region = region;
        this.brokerId = brokerId;
        this.executor = executor;
        this.published = Counter.builder("mesh.edge.published").description("Events accepted at the edge")
                .tags("region", region, "protocol", "grpc").register(MeshMetrics.registry());
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> responses) {
        CloudEvent event;
        try {
            event = reader.read(request, CallContext.TRACEPARENT.get());
        } catch (InvalidEventException e) {
            LOG.debug("region {}: gRPC publish from {} rejected: {}: {}", region, CallContext.REMOTE_ADDRESS.get(),
                    e.field(), e.getMessage());
            responses.onError(invalidArgument(e));
            return;
        }
        publisher.publish(new MeshEvent(event, Routing.publishedAt(region, brokerId)))
                .whenCompleteAsync((metadata, error) -> answer(event, metadata, error, responses), executor);
    }

    private void answer(CloudEvent event, RecordMetadata metadata, Throwable error, StreamObserver<PublishResponse> responses) {
        try {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                LOG.warn("region {}: publish of event {} to mesh.events failed: {}", region, event.getId(), cause.toString());
                responses.onError(io.grpc.Status.UNAVAILABLE
                        .withDescription("the regional Kafka cluster did not acknowledge the event: " + cause.getMessage())
                        .asRuntimeException());
                return;
            }
            published.increment();
            responses.onNext(PublishResponse.newBuilder()
                    .setEventId(event.getId())
                    .setStatus("ACCEPTED")
                    // Epoch seconds, as the HTTP API answers (the seed's example response).
                    .setBrokerTimestamp(metadata.timestamp() / 1000)
                    .build());
            responses.onCompleted();
        } catch (RuntimeException e) {
            // The client went away while Kafka was writing; the event is published all the same.
            LOG.debug("region {}: answer to gRPC publish of event {} not sent: {}", region, event.getId(), e.toString());
        }
    }

    private static StatusRuntimeException invalidArgument(InvalidEventException e) {
        String description = e.field() + ": " + e.getMessage();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(description)
                .addDetails(Any.pack(BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField(e.field())
                                .setDescription(e.getMessage()))
                        .build()))
                .build());
    }
}
