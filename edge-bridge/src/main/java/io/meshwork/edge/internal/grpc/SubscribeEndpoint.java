package io.meshwork.edge.internal.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.durable.DurableSubscriptions;
import io.meshwork.edge.internal.interest.MeshActivation;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import io.meshwork.edge.internal.stream.SubscriptionSession;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's {@code codesprintpro.eventmesh.v1.SubscriptionService}: one {@link SubscribeCall} per
 * {@code Subscribe} stream.
 *
 * <p>The service is bound by hand rather than through the generated base class only to read
 * requests with {@link InboundFrame#marshaller()}; the method name, types on the wire and the
 * schema descriptor (for reflection) are the generated ones.
 */
final class SubscribeEndpoint {

    private final SubscriptionRegistry registry;
    private final MeshActivation activation;
    private final String region;
    private final SubscriberQueueSettings subscriberQueue;
    private final Executor executor;
    private final DurableSubscriptions durables;
    private final Map<GrpcSubscriber, SubscribeCall> open = new ConcurrentHashMap<>();
    private final AtomicLong streams = new AtomicLong();

    SubscribeEndpoint(SubscriptionRegistry registry, MeshActivation activation, String region,
                      SubscriberQueueSettings subscriberQueue, Executor executor, DurableSubscriptions durables) {
        this.durables = durables;
        this.registry = registry;
        this.activation = activation;
        this.region = region;
        this.subscriberQueue = subscriberQueue;
        this.executor = executor;
    }

    ServerServiceDefinition bind() {
        ServiceDescriptor generated = SubscriptionServiceGrpc.getServiceDescriptor();
        MethodDescriptor<InboundFrame, EventEnvelope> subscribe = SubscriptionServiceGrpc.getSubscribeMethod()
                .toBuilder(InboundFrame.marshaller(), ProtoUtils.marshaller(EventEnvelope.getDefaultInstance()))
                .build();
        ServiceDescriptor service = ServiceDescriptor.newBuilder(generated.getName())
                .setSchemaDescriptor(generated.getSchemaDescriptor())
                .addMethod(subscribe)
                .build();
        return ServerServiceDefinition.builder(service)
                .addMethod(subscribe, ServerCalls.asyncBidiStreamingCall(this::subscribe))
                .build();
    }

    /** Ends every open stream with {@code status}; for shutdown. */
    void endAll(Status status) {
        List.copyOf(open.values()).forEach(call -> call.end(status));
    }

    private StreamObserver<InboundFrame> subscribe(StreamObserver<EventEnvelope> responses) {
        String id = "grpc-" + streams.incrementAndGet() + "@" + CallContext.REMOTE_ADDRESS.get();
        GrpcSubscriber subscriber = new GrpcSubscriber((ServerCallStreamObserver<EventEnvelope>) responses, executor, id,
                region, subscriberQueue, this::disconnected);
        SubscriptionSession session = new SubscriptionSession(subscriber, registry, activation, region,
                SubscriptionSession.WhenRefused.END_IF_NO_SUBSCRIPTION, () -> {
                    open.remove(subscriber);
                    subscriber.sessionClosed();
                }, durables, CallAuthentication.ACCESS.get()).endingAtTokenExpiry();
        SubscribeCall call = SubscribeCall.open((ServerCallStreamObserver<EventEnvelope>) responses, subscriber, session);
        open.put(subscriber, call);
        if (session.isClosed()) {
            open.remove(subscriber); // ended before it was listed
        }
        return call;
    }

    private void disconnected(GrpcSubscriber subscriber, String reason) {
        SubscribeCall call = open.get(subscriber);
        if (call != null) {
            call.disconnected(region, reason);
        } else {
            registry.removeAll(subscriber);
            if (durables != null) {
                durables.removeAll(subscriber);
            }
        }
    }
}
