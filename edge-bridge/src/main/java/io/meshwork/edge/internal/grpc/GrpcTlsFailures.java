package io.meshwork.edge.internal.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.meshwork.core.tls.TlsHandshakeFailures;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reports the TLS handshakes the gRPC port refused to {@link TlsHandshakeFailures} (protocol
 * {@code grpc}). grpc-netty adds its {@code SslHandler} itself, inside its TLS protocol negotiator,
 * and reports a failure only to a java.util.logging line at FINE; the builder's public API does not
 * reach the connection pipeline except through the server channel it accepts connections with. So
 * the listener runs on its own NIO server channel ({@link NettyServerBuilder#channelFactory}, which
 * needs its own event loops): each accepted connection starts with a one-shot handler that, when the
 * client's first bytes arrive (the {@code SslHandler} is in place by then), watches the handler's
 * handshake future. A connection that sends nothing is not counted (port probes).
 */
final class GrpcTlsFailures implements AutoCloseable {

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;

    private GrpcTlsFailures(String region) {
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("edge-grpc-accept-" + region, true),
                NioIoHandler.newFactory());
        // 0: Netty's default (twice the cores), as grpc-java's own shared worker group.
        workers = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("edge-grpc-io-" + region, true),
                NioIoHandler.newFactory());
    }

    /** Serves {@code builder}'s connections on event loops that report refused handshakes to {@code failures}. */
    static GrpcTlsFailures install(NettyServerBuilder builder, String region, TlsHandshakeFailures failures) {
        GrpcTlsFailures watched = new GrpcTlsFailures(region);
        HandshakeWatch watch = new HandshakeWatch(failures);
        builder.channelFactory(() -> new WatchedServerChannel(watch))
                .bossEventLoopGroup(watched.boss)
                .workerEventLoopGroup(watched.workers);
        return watched;
    }

    /** Stops the event loops; after the server has terminated. */
    @Override
    public void close() {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** The NIO server channel that puts the watch first in each accepted connection's pipeline. */
    private static final class WatchedServerChannel extends NioServerSocketChannel {

        private final HandshakeWatch watch;

        WatchedServerChannel(HandshakeWatch watch) {
            this.watch = watch;
        }

        @Override
        protected int doReadMessages(List<Object> accepted) throws Exception {
            int before = accepted.size();
            int read = super.doReadMessages(accepted);
            for (int i = before; i < accepted.size(); i++) {
                ((Channel) accepted.get(i)).pipeline().addFirst(watch);
            }
            return read;
        }
    }

    /** Watches the handshake of the connection's {@code SslHandler}, then leaves the pipeline. */
    @ChannelHandler.Sharable
    private static final class HandshakeWatch extends ChannelInboundHandlerAdapter {

        private final TlsHandshakeFailures failures;

        HandshakeWatch(TlsHandshakeFailures failures) {
            this.failures = failures;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null) {
                SocketAddress remote = ctx.channel().remoteAddress();
                tls.handshakeFuture().addListener(done -> {
                    if (!done.isSuccess()) {
                        failures.failed("grpc", String.valueOf(remote), done.cause());
                    }
                });
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(message);
        }
    }
}
