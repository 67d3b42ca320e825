package io.meshwork.edge.internal.amqp;

import io.meshwork.core.tls.TlsHandshakeFailures;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.impl.NetServerInternal;

/**
 * Reports the TLS handshakes the amqps port refused to {@link TlsHandshakeFailures} (protocol
 * {@code amqp}). vert.x hands a failed server handshake to its {@code NetServer}'s exception handler
 * (the connection never reaches the connect handler), but vertx-proton's {@code ProtonServer} keeps
 * its {@code NetServer} to itself. It creates that server through the {@link Vertx} it is given, so
 * it is given this wrapper (vert.x's own {@link VertxWrapper}, everything else delegated), which sets
 * the handler on the server it creates. vert.x passes only the failure, not the remote address.
 */
final class AmqpTlsFailures extends VertxWrapper {

    /** What the log line says instead of the client's address, which vert.x does not pass on. */
    static final String UNKNOWN_REMOTE = "an AMQP client (vert.x does not report its address)";

    private final TlsHandshakeFailures failures;

    private AmqpTlsFailures(VertxInternal vertx, TlsHandshakeFailures failures) {
        super(vertx);
        this.failures = failures;
    }

    /** {@code vertx}, reporting refused handshakes of every {@code NetServer} created through it to {@code failures}. */
    static Vertx reporting(Vertx vertx, TlsHandshakeFailures failures) {
        return new AmqpTlsFailures((VertxInternal) vertx, failures);
    }

    @Override
    public NetServerInternal createNetServer(NetServerOptions options) {
        NetServerInternal server = super.createNetServer(options);
        server.exceptionHandler(failure -> failures.failed("amqp", UNKNOWN_REMOTE, failure));
        return server;
    }
}
