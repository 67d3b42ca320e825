package io.meshwork.edge.internal.grpc;

import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.Accepted;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.publish.PublishRequestReader;
import io.meshwork.schema.v1.PublishRequest;
import io.meshwork.schema.v1.PublishResponse;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PublishService.Publish}: the gRPC counterpart of {@code POST /v1/events/publish}. Answers
 * once Kafka acknowledged the event; a bad event gets {@code INVALID_ARGUMENT} whose description
 * starts with the field at fault (also given as a {@code google.rpc.BadRequest} detail), a Kafka
 * failure {@code UNAVAILABLE} ({@link GrpcErrors}).
 */
final class PublishEndpoint extends PublishServiceGrpc.PublishServiceImplBase {

    private static final Logger LOG = LoggerFactory.getLogger(PublishEndpoint.class);

    private final PublishRequestReader reader;
    private final Ingress ingress;

    /** @param ingress answers on the listener's executor, so that Kafka's I/O thread only records acks */
    PublishEndpoint(PublishRequestReader reader, Ingress ingress) {
        this.reader = reader;
        this.ingress = ingress;
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> responses) {
        long received = System.nanoTime();
        String traceparent = CallContext.TRACEPARENT.get();
        String remote = CallContext.REMOTE_ADDRESS.get();
        ingress.publish(received, CallAuthentication.ACCESS.get(), () -> reader.read(request, traceparent))
                .whenComplete((accepted, error) -> answer(request, remote, accepted, error, responses));
    }

    private static void answer(PublishRequest request, String remote, Accepted accepted, Throwable error,
                               StreamObserver<PublishResponse> responses) {
        try {
            if (error != null) {
                responses.onError(GrpcErrors.toStatus(Refusal.of(error)));
                return;
            }
            responses.onNext(PublishResponse.newBuilder()
                    .setEventId(accepted.eventId())
                    .setStatus("ACCEPTED")
                    // Epoch seconds, as the HTTP API answers (the seed's example response).
                    .setBrokerTimestamp(accepted.brokerTimestampSeconds())
                    .build());
            responses.onCompleted();
        } catch (RuntimeException e) {
            // The client went away while Kafka was writing; the event is published all the same.
            LOG.debug("answer to gRPC publish of event {} from {} not sent: {}", request.getEventId(), remote, e.toString());
        }
    }
}
