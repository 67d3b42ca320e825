package io.meshwork.edge.internal.grpc;

import io.meshwork.edge.internal.publish.PublishRequestReader;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.meshwork.core.tls.ServerTls;
import io.meshwork.core.tls.TlsHandshakeFailures;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.internal.EdgeContext;
import io.meshwork.edge.internal.ProtocolListener;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.meshwork.schema.v1.PublishServiceGrpc;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's gRPC listener (grpc-netty-shaded) on {@code httpHost:grpcPort}:
 * <ul>
 *   <li>{@code codesprintpro.eventmesh.v1.SubscriptionService/Subscribe}, the seed's stream;</li>
 *   <li>{@code codesprintpro.eventmesh.v1.PublishService/Publish}, unary publish;</li>
 *   <li>{@code grpc.health.v1.Health} ({@code SERVING} for "" and each service above) and server
 *       reflection (v1 and v1alpha), so grpcurl-style tools work without the proto.</li>
 * </ul>
 */
public final class GrpcListener implements ProtocolListener {

    private static final Logger LOG = LoggerFactory.getLogger(GrpcListener.class);

    /** Room above the payload limit for a publish request's attributes and extensions. */
    static final int MESSAGE_OVERHEAD_BYTES = 64 * 1024;

    private static final List<String> SERVICES = List.of(SubscriptionServiceGrpc.SERVICE_NAME, PublishServiceGrpc.SERVICE_NAME);

    // grpc-java reports a message it refused (too large, undecodable compression) through
    // java.util.logging as a WARNING with a stack trace, although the client already got its
    // RESOURCE_EXHAUSTED/INTERNAL status: that is a client's bad input, not an edge fault. Held
    // here because java.util.logging keeps loggers only weakly.
    private static final java.util.logging.Logger REFUSED_MESSAGES =
            java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyServerStream");

    static {
        REFUSED_MESSAGES.setLevel(java.util.logging.Level.SEVERE);
    }

    private final HealthStatusManager health = new HealthStatusManager();
    private String region;
    private ExecutorService executor;
    private SubscribeEndpoint subscriptions;
    private Server server;
    private GrpcTlsFailures tlsFailures;
    private final ServerTls tls;

    /** A plaintext gRPC listener. */
    public GrpcListener() {
        this(null);
    }

    /** A gRPC listener serving TLS over {@code tls}; {@code null}: plaintext. */
    public GrpcListener(ServerTls tls) {
        this.tls = tls;
    }

    @Override
    public String protocol() {
        return "gRPC";
    }

    @Override
    public void start(EdgeContext context) throws IOException {
        EdgeConfig config = context.config();
        region = config.region();
        // Handlers hardly ever wait (a publish is answered from Kafka's callback, interest records
        // are sent asynchronously), so a small fixed pool serves every call and every stream's drain.
        executor = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
                daemonThreads("edge-grpc-" + region + "-"));
        subscriptions = new SubscribeEndpoint(context.registry(), context.activation(), region, config.subscriberQueue(), executor,
                context.durables());
        PublishEndpoint publish = new PublishEndpoint(new PublishRequestReader(config.maxPayloadBytes()),
                context.ingress(IngressProtocol.GRPC, executor));
        CallContext callContext = new CallContext();
        CallAuthentication authentication = new CallAuthentication(context.auth());
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(config.httpHost(), config.grpcPort()));
        if (tls != null) {
            builder.sslContext(GrpcTls.serverContext(tls));
            tlsFailures = GrpcTlsFailures.install(builder, region, new TlsHandshakeFailures(region));
        }
        server = builder
                .executor(executor)
                // A publish at the payload limit fits; anything larger gets RESOURCE_EXHAUSTED from gRPC.
                .maxInboundMessageSize(config.maxPayloadBytes() + MESSAGE_OVERHEAD_BYTES)
                // Subscribers hold long streams: find dead peers within a minute or so, and let
                // clients keep idle connections alive as often as every 10 s.
                .keepAliveTime(60, TimeUnit.SECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .addService(ServerInterceptors.intercept(subscriptions.bind(), authentication, callContext))
                .addService(ServerInterceptors.intercept(publish, authentication, callContext))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(reflectionV1Alpha())
                .build()
                .start();
        health.setStatus("", ServingStatus.SERVING);
        SERVICES.forEach(service -> health.setStatus(service, ServingStatus.SERVING));
    }

    // Older grpcurl, Postman and evans builds only speak v1alpha reflection.
    @SuppressWarnings("deprecation")
    private static io.grpc.BindableService reflectionV1Alpha() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    @Override
    public int port() {
        if (server == null) {
            throw new IllegalStateException("gRPC listener not started");
        }
        return server.getPort();
    }

    @Override
    public void close() {
        if (server == null) {
            if (executor != null) {
                executor.shutdownNow();
            }
            if (tlsFailures != null) {
                tlsFailures.close();
            }
            return;
        }
        health.enterTerminalState();
        subscriptions.endAll(Status.UNAVAILABLE.withDescription("edge shutting down"));
        server.shutdown();
        try {
            // Publishes in flight finish within Kafka's ack time; a subscriber that reads nothing
            // would hold its stream (and this wait) open, hence the bound.
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
            if (tlsFailures != null) {
                tlsFailures.close();
            }
        }
        LOG.debug("region {}: gRPC listener stopped", region);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
