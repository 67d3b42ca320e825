package io.meshwork.edge.internal.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.SocketAddress;

/**
 * What the edge's handlers want to know about a call beyond its messages, made available as
 * {@link Context} values: the client's address (for logs) and the W3C {@code traceparent}
 * request metadata, which gRPC tracing libraries propagate and the mesh carries as the
 * CloudEvents distributed-tracing extension.
 */
final class CallContext implements ServerInterceptor {

    static final Context.Key<String> REMOTE_ADDRESS = Context.key("meshwork-remote-address");
    static final Context.Key<String> TRACEPARENT = Context.key("meshwork-traceparent");

    private static final Metadata.Key<String> TRACEPARENT_HEADER = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Context context = Context.current()
                .withValue(REMOTE_ADDRESS, remote == null ? "unknown" : remote.toString())
                .withValue(TRACEPARENT, headers.get(TRACEPARENT_HEADER));
        return Contexts.interceptCall(context, call, headers, next);
    }
}
