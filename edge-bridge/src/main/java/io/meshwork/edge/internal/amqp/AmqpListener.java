package io.meshwork.edge.internal.amqp;

import io.meshwork.core.tls.ServerTls;
import io.meshwork.core.tls.TlsHandshakeFailures;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.internal.EdgeContext;
import io.meshwork.edge.internal.ProtocolListener;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.proton.ProtonServer;
import io.vertx.proton.ProtonServerOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ConnectionError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's AMQP 1.0 listener (vertx-proton's {@link ProtonServer}) on {@code httpHost:amqpPort}
 * (DESIGN.md 2.6): sender links publish to the mesh topic of their target address (or of each
 * message's {@code to}), receiver links subscribe to the topic pattern of their source address
 * with an optional {@code apache.org:selector-filter:string}; events travel by the CloudEvents
 * AMQP binding, binary mode.
 *
 * <p>Authentication: SASL ANONYMOUS (vertx-proton's default server mechanism) with auth off; with
 * {@code edge.auth.enabled} SASL PLAIN with the token as password, or EXTERNAL on a connection with a
 * verified client certificate ({@link AmqpSasl}), and the principal's {@link Access} checks every
 * message and receiver link. With {@code edge.tls.enabled} the same port serves AMQP over TLS
 * ({@link AmqpTls}) only, and refused handshakes are counted ({@link AmqpTlsFailures}).
 */
public final class AmqpListener implements ProtocolListener {

    /** Room above twice the payload limit for a message's header, properties and annotations. */
    static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AmqpListener.class);

    private final Map<AmqpConnection, Boolean> connections = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private String region;
    private Vertx vertx;
    private ProtonServer server;
    private final ServerTls tls;

    /** @param tls the edge's TLS; {@code null}: plaintext */
    public AmqpListener(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public String protocol() {
        return "AMQP";
    }

    @Override
    public void start(EdgeContext context) throws Exception {
        EdgeConfig config = context.config();
        region = config.region();
        // Two event loops serve every connection; handlers never block (publishes are answered from Kafka's callback).
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(1).setInternalBlockingPoolSize(1)
                // A GC pause on a loaded CI machine is no reason for stack traces in the log.
                .setMaxEventLoopExecuteTime(10).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
        // Answers are handed to the vert.x event loops, never run on Kafka's producer thread.
        Ingress ingress = context.ingress(IngressProtocol.AMQP, task -> vertx.runOnContext(v -> task.run()));
        AmqpEventReader reader = new AmqpEventReader(config.maxPayloadBytes());
        ProtonServerOptions options = new ProtonServerOptions().setHost(config.httpHost()).setPort(config.amqpPort())
                .setMaxFrameSize(64 * 1024).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS);
        if (tls != null) {
            AmqpTls.apply(tls, options);
        }
        // With TLS, proton's NetServer is created through a wrapper that counts the handshakes it refuses.
        server = ProtonServer.create(tls == null ? vertx : AmqpTlsFailures.reporting(vertx, new TlsHandshakeFailures(region)),
                options);
        EdgeAuth auth = context.auth();
        if (auth.enabled()) {
            server.saslAuthenticatorFactory(() -> new AmqpSasl(auth));
        }
        server.connectHandler(connection -> {
            String id = "amqp-" + accepted.incrementAndGet();
            // Only reached after a successful SASL outcome; with auth on that left the principal's access.
            Access access = auth.enabled() ? AmqpSasl.access(connection) : Access.open();
            if (access == null) {
                // Cannot happen (a failed SASL outcome closes the connection first); fail closed if it does.
                LOG.warn("region {}: {} has no authenticated principal after SASL; disconnected", region, id);
                connection.disconnect();
                return;
            }
            AmqpConnection[] served = new AmqpConnection[1];
            served[0] = new AmqpConnection(connection, vertx.getOrCreateContext(), context, ingress, reader, id, access,
                    () -> connections.remove(served[0]));
            connections.put(served[0], Boolean.TRUE);
            served[0].serve();
        });
        CompletableFuture<Void> listening = new CompletableFuture<>();
        server.listen(result -> {
            if (result.succeeded()) {
                listening.complete(null);
            } else {
                listening.completeExceptionally(result.cause());
            }
        });
        try {
            listening.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("region " + region + ": AMQP listener could not bind " + config.httpHost() + ":"
                    + config.amqpPort() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public int port() {
        if (server == null) {
            throw new IllegalStateException("AMQP listener not started");
        }
        return server.actualPort();
    }

    @Override
    public void close() {
        if (vertx == null) {
            return;
        }
        ErrorCondition shutdown = new ErrorCondition(ConnectionError.CONNECTION_FORCED, "edge shutting down");
        List<AmqpConnection> open = List.copyOf(connections.keySet());
        CountDownLatch ended = new CountDownLatch(open.size());
        for (AmqpConnection connection : open) {
            connection.context().runOnContext(v -> {
                try {
                    connection.close(shutdown);
                } finally {
                    ended.countDown();
                }
            });
        }
        try {
            ended.await(5, TimeUnit.SECONDS);
            if (server != null) {
                // Vert.x must outlive the server's close: closing both at once makes Netty log a rejected task.
                CountDownLatch serverClosed = new CountDownLatch(1);
                server.close(done -> serverClosed.countDown());
                serverClosed.await(5, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("region {}: AMQP listener did not stop cleanly: {}", region, e.toString());
        }
        LOG.debug("region {}: AMQP listener stopped", region);
    }

}
