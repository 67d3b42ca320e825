package io.meshwork.edge.internal.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.PublishThrottle;
import io.meshwork.edge.internal.stream.StreamFrames;

/**
 * The gRPC answer to a {@link Refusal}: a client's fault is {@code INVALID_ARGUMENT} whose
 * description starts with the field at fault, with a {@code google.rpc.BadRequest} detail naming
 * the same field; a missing or refused token is {@code UNAUTHENTICATED}, a topic the principal may not use
 * {@code PERMISSION_DENIED}; a broker failure is {@code UNAVAILABLE}; a throttled publish is
 * {@code RESOURCE_EXHAUSTED} with a {@code google.rpc.RetryInfo} detail. Either way the trailer
 * {@value StreamFrames#ERROR_CODE_HEADER} carries the code, readable without any of the mesh's protos.
 */
final class GrpcErrors {

    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of(StreamFrames.ERROR_CODE_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private GrpcErrors() {
    }

    static StatusRuntimeException toStatus(Refusal refusal) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, refusal.error().name());
        if (refusal.getCause() instanceof PublishThrottle.RetryAfter retryAfter) {
            return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                    .setMessage(refusal.describe())
                    .addDetails(Any.pack(RetryInfo.newBuilder()
                            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryAfter.seconds()))
                            .build()))
                    .build(), trailers);
        }
        if (refusal.error() == ClientError.UNAUTHENTICATED || refusal.error() == ClientError.TOKEN_EXPIRED) {
            return Status.UNAUTHENTICATED.withDescription(refusal.describe()).asRuntimeException(trailers);
        }
        if (refusal.error() == ClientError.NOT_AUTHORIZED) {
            return Status.PERMISSION_DENIED.withDescription(refusal.describe()).asRuntimeException(trailers);
        }
        if (!refusal.error().isClientFault()) {
            return Status.UNAVAILABLE.withDescription(refusal.getMessage()).asRuntimeException(trailers);
        }
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(refusal.describe())
                .addDetails(Any.pack(BadRequest.newBuilder()
                        .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                                .setField(refusal.field())
                                .setDescription(refusal.getMessage()))
                        .build()))
                .build(), trailers);
    }
}
