package io.meshwork.edge.internal.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.ClientCertificates;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.net.SocketAddress;

/**
 * Authenticates each call of the mesh's services by its {@code authorization: Bearer <jwt>}
 * metadata, or without one by the client certificate the TLS handshake verified (mTLS): a refused
 * token ends the call with {@code UNAUTHENTICATED} before any message is read; an accepted one
 * makes the caller's {@link Access} the {@link #ACCESS} context value, which publishes and subscriptions are checked against ({@code PERMISSION_DENIED}). With auth off every
 * call gets open access. Health and reflection stay unauthenticated: they reveal no events.
 */
final class CallAuthentication implements ServerInterceptor {

    static final Context.Key<Access> ACCESS = Context.keyWithDefault("meshwork-access", Access.open());

    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final EdgeAuth auth;

    CallAuthentication(EdgeAuth auth) {
        this.auth = auth;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (!auth.enabled()) {
            return next.startCall(call, headers);
        }
        SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        Access access;
        try {
            access = auth.authenticate(IngressProtocol.GRPC, EdgeAuth.bearer(headers.get(AUTHORIZATION)),
                    ClientCertificates.of(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)), String.valueOf(remote));
        } catch (Refusal refusal) {
            StatusRuntimeException status = GrpcErrors.toStatus(refusal);
            call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(ACCESS, access), call, headers, next);
    }
}
