package io.meshwork.launcher.interop;

import com.google.protobuf.ByteString;
import io.meshwork.launcher.RegionEndpoints;
import io.meshwork.launcher.interop.MatrixClients.Publishing;
import io.meshwork.launcher.interop.MatrixClients.Sent;
import io.meshwork.launcher.interop.MatrixClients.Subscribing;
import io.meshwork.schema.v1.EventEnvelope;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.message.Message;

/**
 * The interoperability matrix's AMQP 1.0 clients, on vertx-proton's {@link ProtonClient}: a
 * publisher whose sender link targets the event's topic, and a subscriber whose receiver link's
 * source is the pattern. Both speak the CloudEvents AMQP binding (binary mode) as written in the
 * spec, not through the edge's own classes.
 */
final class AmqpMatrixClients {

    private static final String PREFIX = "cloudEvents:";

    private AmqpMatrixClients() {
    }

    static final Publishing PUBLISHER = (mesh, region, event) -> {
        Vertx vertx = Vertx.vertx();
        try {
            Context context = vertx.getOrCreateContext();
            ProtonConnection connection = connect(vertx, context, mesh.region(region));
            Message message = Proton.message();
            message.setContentType("application/json");
            message.setApplicationProperties(new ApplicationProperties(Map.of(PREFIX + "specversion", "1.0", PREFIX + "id", event.id(),
                    PREFIX + "type", Sent.TYPE, PREFIX + "source", Sent.SOURCE, PREFIX + Sent.EXTENSION, Sent.EXTENSION_VALUE)));
            message.setBody(new Data(new Binary(event.payload().getBytes(StandardCharsets.UTF_8))));
            DeliveryState outcome = call(context, done -> {
                ProtonSender sender = connection.createSender(event.topic());
                sender.openHandler(opened -> sender.send(message, delivery -> done.complete(delivery.getRemoteState())));
                sender.open();
            });
            if (!(outcome instanceof Accepted)) {
                throw new AssertionError("AMQP publish answered " + outcome);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    };

    /** A receiver link; the edge answers its attach once the subscription is active in every region (the hold). */
    static Subscribing subscriber(RegionEndpoints region) throws Exception {
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        ProtonConnection connection = connect(vertx, context, region);
        List<EventEnvelope> received = new CopyOnWriteArrayList<>();
        return new Subscribing() {
            @Override
            public void subscribe(String pattern) throws Exception {
                call(context, done -> {
                    ProtonReceiver receiver = connection.createReceiver(pattern);
                    receiver.handler((delivery, message) -> received.add(envelope(message)));
                    receiver.openHandler(opened -> done.complete(null));
                    receiver.open();
                });
            }

            @Override
            public Optional<EventEnvelope> received(String id) {
                return received.stream().filter(e -> e.getEventId().equals(id)
                        || MatrixClients.payloadId(e.getPayloadBytes().toByteArray()).equals(id)).findFirst();
            }

            @Override
            public void close() throws Exception {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        };
    }

    /** The binding read back: {@code cloudEvents:*} properties are the attributes, content-type is datacontenttype. */
    private static EventEnvelope envelope(Message message) {
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder();
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = message.getApplicationProperties().getValue();
        properties.forEach((name, value) -> {
            if (name.startsWith(PREFIX)) {
                envelope.putHeaders(name.substring(PREFIX.length()), String.valueOf(value));
            }
        });
        if (message.getContentType() != null) {
            envelope.putHeaders("datacontenttype", message.getContentType());
        }
        envelope.setEventId(envelope.getHeadersOrDefault("id", ""));
        envelope.setTopic(envelope.getHeadersOrDefault("meshtopic", message.getAddress()));
        envelope.addAllRoutingPath(Arrays.asList(String.valueOf(properties.get("mesh-routing-path")).split(",")));
        Binary body = ((Data) message.getBody()).getValue();
        envelope.setPayloadBytes(ByteString.copyFrom(body.getArray(), body.getArrayOffset(), body.getLength()));
        return envelope.build();
    }

    private static ProtonConnection connect(Vertx vertx, Context context, RegionEndpoints region) throws Exception {
        return call(context, done -> ProtonClient.create(vertx).connect("127.0.0.1", region.amqpPort(), result -> {
            if (result.failed()) {
                done.completeExceptionally(result.cause());
                return;
            }
            ProtonConnection connection = result.result();
            connection.openHandler(opened -> done.complete(connection));
            connection.open();
        }));
    }

    private static <T> T call(Context context, Consumer<CompletableFuture<T>> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> action.accept(done));
        return done.get(30, TimeUnit.SECONDS);
    }
}
