package io.meshwork.edge.auth;

import static org.awaitility.Awaitility.await;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import io.meshwork.schema.v1.SubscriptionServiceGrpc;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonClientOptions;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonReceiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;

/** A gRPC Subscribe stream and AMQP receiver links, with a token, that record what they get and how the edge ended them. */
final class RevocationClients {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private RevocationClients() {
    }

    /** One gRPC Subscribe stream with a bearer token, recording its events, ERROR frames and end. */
    static final class RecordingStream implements StreamObserver<EventEnvelope> {
        final List<String> topics = new CopyOnWriteArrayList<>();
        final List<StreamControl> errors = new CopyOnWriteArrayList<>();
        final List<String> subscribed = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<SubscriptionRequest> requests;

        static RecordingStream subscribe(Channel channel, String token, String pattern) throws Exception {
            Metadata metadata = new Metadata();
            metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
            RecordingStream stream = new RecordingStream();
            stream.requests = SubscriptionServiceGrpc.newStub(ClientInterceptors.intercept(channel,
                    MetadataUtils.newAttachHeadersInterceptor(metadata))).subscribe(stream);
            stream.subscribeAlso(pattern);
            return stream;
        }

        void subscribeAlso(String pattern) {
            requests.onNext(SubscriptionRequest.newBuilder().setClientId("t").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                    .setTopicPattern(pattern).build());
            await().atMost(WAIT).until(() -> subscribed.contains(pattern));
        }

        void awaitTopic(String topic) {
            await().atMost(WAIT).until(() -> topics.contains(topic));
        }

        @Override
        public void onNext(EventEnvelope frame) {
            if (frame.hasControl() && frame.getControl().getType() == StreamControl.Type.SUBSCRIBED) {
                subscribed.add(frame.getControl().getTopicPattern());
            } else if (frame.hasControl() && frame.getControl().getType() == StreamControl.Type.ERROR) {
                errors.add(frame.getControl());
            } else if (!frame.hasControl()) {
                topics.add(frame.getTopic());
            }
        }

        @Override
        public void onError(Throwable error) {
            ended.complete(error);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }
    }

    static ProtonConnection amqpConnect(Vertx vertx, Context context, int port, String user, String token) throws Exception {
        CompletableFuture<ProtonConnection> opened = new CompletableFuture<>();
        context.runOnContext(v -> ProtonClient.create(vertx).connect(new ProtonClientOptions(), "127.0.0.1",
                port, user, token, result -> {
                    if (result.failed()) {
                        opened.completeExceptionally(result.cause());
                        return;
                    }
                    ProtonConnection connection = result.result();
                    connection.openHandler(open -> {
                        if (open.succeeded()) {
                            opened.complete(connection);
                        } else {
                            opened.completeExceptionally(open.cause());
                        }
                    });
                    connection.open();
                }));
        return opened.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** A receiver link recording the addresses of its messages and how the edge closed it. */
    static final class AmqpReceiver {
        final List<String> addresses = new CopyOnWriteArrayList<>();
        final CompletableFuture<ErrorCondition> closed = new CompletableFuture<>();

        List<String> addresses() {
            return addresses;
        }

        static AmqpReceiver attach(Context context, ProtonConnection connection, String pattern) throws Exception {
            AmqpReceiver receiver = new AmqpReceiver();
            CompletableFuture<Void> opened = new CompletableFuture<>();
            context.runOnContext(v -> {
                ProtonReceiver link = connection.createReceiver(pattern);
                link.setPrefetch(100);
                link.handler((delivery, message) -> receiver.addresses.add(topicOf(message)));
                link.openHandler(open -> opened.complete(null));
                link.closeHandler(closing -> {
                    receiver.closed.complete(link.getRemoteCondition());
                    link.close();
                });
                link.open();
            });
            opened.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return receiver;
        }

        private static String topicOf(org.apache.qpid.proton.message.Message message) {
            return message.getAddress() != null ? message.getAddress() : String.valueOf(message.getSubject());
        }
    }
}
