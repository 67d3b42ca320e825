package io.meshwork.edge.internal.grpc;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.meshwork.core.tls.ServerTls;
import javax.net.ssl.SSLException;

/**
 * Netty's server TLS context for the gRPC port over the edge's {@link ServerTls}. The JDK provider
 * is chosen on purpose: it asks the (reloading) key and trust managers on every handshake, where
 * OpenSSL would cache the key material per alias and miss a replaced certificate.
 */
final class GrpcTls {

    private GrpcTls() {
    }

    static SslContext serverContext(ServerTls tls) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(tls.keyManager());
        if (tls.trustManager() != null) {
            builder.trustManager(tls.trustManager());
        }
        builder.clientAuth(switch (tls.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case REQUESTED -> ClientAuth.OPTIONAL;
            case REQUIRED -> ClientAuth.REQUIRE;
        });
        return GrpcSslContexts.configure(builder, SslProvider.JDK).build();
    }
}
