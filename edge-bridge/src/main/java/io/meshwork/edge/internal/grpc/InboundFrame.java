package io.meshwork.edge.internal.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.io.InputStream;

/**
 * A client message on a {@code Subscribe} stream: the request, or why its bytes are not one.
 *
 * <p>With the stock marshaller gRPC would end the whole stream with {@code INTERNAL} on one
 * undecodable message; reading through {@link #marshaller()} turns it into a
 * {@code MALFORMED_FRAME} error frame instead, so the stream and its other subscriptions stay up,
 * as on WebSocket.
 *
 * @param request   the decoded request, or {@code null} when {@code malformed} is set
 * @param malformed why the message could not be decoded, or {@code null}
 */
record InboundFrame(SubscriptionRequest request, String malformed) {

    private static final MethodDescriptor.Marshaller<SubscriptionRequest> PROTO =
            ProtoUtils.marshaller(SubscriptionRequest.getDefaultInstance());

    /** Reads {@code SubscriptionRequest} messages leniently; writes them as usual. */
    static MethodDescriptor.Marshaller<InboundFrame> marshaller() {
        return new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(InboundFrame frame) {
                return PROTO.stream(frame.request());
            }

            @Override
            public InboundFrame parse(InputStream stream) {
                try {
                    return new InboundFrame(PROTO.parse(stream), null);
                } catch (StatusRuntimeException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    return new InboundFrame(null, cause.getMessage() == null ? cause.toString() : cause.getMessage());
                }
            }
        };
    }
}
