package io.meshwork.edge.client;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Streams over the seed's gRPC {@code SubscriptionService/Subscribe}, one channel per edge
 * address kept for the subscriber's life (grpc-java reconnects a channel by itself; a stream that
 * failed is replaced by a new one).
 */
final class GrpcConnector implements EdgeConnection.Connector {

    private final Function<String, ManagedChannel> channelFactory;
    private final Metadata metadata;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    /**
     * Opens a channel to every edge at once: a failover then finds its HTTP/2 connection up,
     * instead of paying the handshake (the most of a second it took, measured) while no edge serves.
     */
    GrpcConnector(Function<String, ManagedChannel> channelFactory, Map<String, String> headers, List<String> edges) {
        this.channelFactory = channelFactory;
        this.metadata = new Metadata();
        headers.forEach((name, value) -> metadata.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value));
        edges.forEach(edge -> channels.computeIfAbsent(edge, channelFactory).getState(true));
    }

    @Override
    public CompletableFuture<EdgeConnection> connect(String address, EdgeConnection.Handler handler) {
        ManagedChannel channel = channels.computeIfAbsent(address, channelFactory);
        if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
            // The edge may be back (restarted) while grpc-java waits out its reconnect backoff: try now.
            channel.resetConnectBackoff();
        }
        Stream stream = new Stream(handler);
        try {
            SubscriptionServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                    .subscribe(stream);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Not wait-for-ready: a dead edge must show as onError(UNAVAILABLE) at once, to move on to the next.
        return CompletableFuture.completedFuture(stream);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }

    private static final class Stream implements EdgeConnection, ClientResponseObserver<SubscriptionRequest, EventEnvelope> {
        private final EdgeConnection.Handler handler;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile ClientCallStreamObserver<SubscriptionRequest> requests;

        Stream(EdgeConnection.Handler handler) {
            this.handler = handler;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscriptionRequest> requestStream) {
            requests = requestStream;
        }

        @Override
        public synchronized void send(SubscriptionRequest request) {
            requests.onNext(request);
        }

        @Override
        public void close() {
            ended.set(true);
            requests.cancel("the subscriber closed the stream", null);
        }

        @Override
        public void onNext(EventEnvelope frame) {
            if (!ended.get()) {
                handler.onFrame(frame);
            }
        }

        @Override
        public void onError(Throwable error) {
            lost(Status.fromThrowable(error).toString());
        }

        @Override
        public void onCompleted() {
            lost("the edge ended the stream");
        }

        private void lost(String reason) {
            if (ended.compareAndSet(false, true)) {
                handler.onLost(reason);
            }
        }
    }
}
