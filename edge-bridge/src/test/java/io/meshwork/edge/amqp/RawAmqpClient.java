package io.meshwork.edge.amqp;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.proton.ProtonClient;
import io.vertx.proton.ProtonClientOptions;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonLink;
import io.vertx.proton.ProtonReceiver;
import io.vertx.proton.ProtonSender;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.qpid.proton.amqp.Symbol;
import org.apache.qpid.proton.amqp.UnknownDescribedType;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.message.Message;

/**
 * A raw AMQP 1.0 client (vertx-proton's {@link ProtonClient}) for what a JMS client cannot do:
 * send any body section, grant exact link credit, set a filter the client does not parse itself.
 * Every call runs on the client's event loop and waits for the edge's answer.
 */
final class RawAmqpClient implements AutoCloseable {

    /** A receiver link with the messages it got so far. */
    static final class Receiver {
        final List<Message> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<ErrorCondition> closed = new CompletableFuture<>();
        /** How many of the next deliveries to settle as released (the rest are accepted). */
        final java.util.concurrent.atomic.AtomicInteger toRelease = new java.util.concurrent.atomic.AtomicInteger();
        private final RawAmqpClient client;
        private ProtonReceiver link;

        private Receiver(RawAmqpClient client) {
            this.client = client;
        }

        /** Grants {@code credit} more messages. */
        void flow(int credit) {
            client.context.runOnContext(v -> link.flow(credit));
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final ProtonConnection connection;

    private RawAmqpClient(Vertx vertx, Context context, ProtonConnection connection) {
        this.vertx = vertx;
        this.context = context;
        this.connection = connection;
    }

    static RawAmqpClient connect(int port) throws Exception {
        return connect(port, new ProtonClientOptions(), null, null);
    }

    /**
     * Connects with {@code options} (e.g. TLS) and SASL PLAIN as {@code user} with {@code password}
     * ({@code null}: the mechanisms the edge offers without credentials); fails when the edge refuses
     * the SASL outcome or the connection ends before it opened.
     */
    static RawAmqpClient connect(int port, ProtonClientOptions options, String user, String password) throws Exception {
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        ProtonConnection connection;
        try {
            connection = call(context, done -> ProtonClient.create(vertx).connect(options, "127.0.0.1", port, user, password, result -> {
                if (result.failed()) {
                    done.completeExceptionally(result.cause());
                    return;
                }
                ProtonConnection opening = result.result();
                opening.disconnectHandler(gone -> done.completeExceptionally(new IllegalStateException("disconnected before open")));
                opening.openHandler(open -> {
                    if (open.succeeded()) {
                        done.complete(opening);
                    } else {
                        done.completeExceptionally(open.cause());
                    }
                });
                opening.open();
            }));
        } catch (Exception e) {
            vertx.close();
            throw e;
        }
        return new RawAmqpClient(vertx, context, connection);
    }

    /** Sends {@code message} on a new sender link to {@code address} ({@code null}: anonymous) and returns its outcome. */
    DeliveryState send(String address, Message message) throws Exception {
        return call(context, done -> {
            ProtonSender sender = connection.createSender(address);
            sender.openHandler(open -> sender.send(message, delivery -> {
                done.complete(delivery.getRemoteState());
                sender.close();
            }));
            sender.closeHandler(closed -> done.completeExceptionally(new IllegalStateException("sender link closed: "
                    + describe(sender.getRemoteCondition()))));
            sender.open();
        });
    }

    /** Attaches a sender link to {@code address} and returns the error condition the edge closed it with. */
    ErrorCondition refusedSender(String address) throws Exception {
        return call(context, done -> {
            ProtonSender sender = connection.createSender(address);
            closeOn(sender, done);
            sender.open();
        });
    }

    /** Attaches a receiver link to {@code pattern} (with a selector filter unless {@code null}), granting {@code credit}. */
    Receiver receive(String pattern, String selector, int credit) throws Exception {
        return receive(pattern, selector, credit, true);
    }

    /**
     * As {@link #receive(String, String, int)}; unless {@code awaitOpen}, returns once the attach is
     * sent (for a link the edge refuses: see {@link Receiver#closed}).
     */
    Receiver receive(String pattern, String selector, int credit, boolean awaitOpen) throws Exception {
        return receive(pattern, selector, credit, awaitOpen, null);
    }

    /** As {@link #receive(String, String, int, boolean)}, with the link's {@code properties} (e.g. {@code delivery-policy}). */
    Receiver receive(String pattern, String selector, int credit, boolean awaitOpen, Map<Symbol, Object> properties) throws Exception {
        Receiver receiver = new Receiver(this);
        call(context, done -> {
            ProtonReceiver link = connection.createReceiver(pattern);
            receiver.link = link;
            if (properties != null) {
                link.setProperties(properties);
            }
            if (selector != null) {
                ((Source) link.getSource()).setFilter(Map.of(Symbol.valueOf("jms-selector"),
                        new UnknownDescribedType(Symbol.valueOf("apache.org:selector-filter:string"), selector)));
            }
            link.setPrefetch(0);
            link.setAutoAccept(false);
            link.handler((delivery, message) -> {
                receiver.messages.add(message);
                delivery.disposition(receiver.toRelease.getAndDecrement() > 0 ? Released.getInstance() : Accepted.getInstance(), true);
            });
            link.openHandler(open -> {
                if (link.getRemoteSource() != null) {
                    if (credit > 0) {
                        link.flow(credit);
                    }
                    done.complete(null);
                }
            });
            closeOn(link, receiver.closed);
            receiver.closed.whenComplete((condition, error) -> done.completeExceptionally(
                    new IllegalStateException("receiver link refused: " + describe(condition))));
            link.open();
            if (!awaitOpen) {
                done.complete(null);
            }
        });
        return receiver;
    }

    private static void closeOn(ProtonLink<?> link, CompletableFuture<ErrorCondition> done) {
        link.closeHandler(closed -> {
            done.complete(link.getRemoteCondition());
            link.close();
        });
        link.detachHandler(detached -> {
            done.complete(link.getRemoteCondition());
            link.detach();
        });
    }

    private static String describe(ErrorCondition condition) {
        return condition == null ? "no error condition" : condition.getCondition() + " " + condition.getDescription();
    }

    private static <T> T call(Context context, Consumer<CompletableFuture<T>> action) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        context.runOnContext(v -> action.accept(done));
        return done.get(15, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            call(context, done -> {
                connection.closeHandler(closed -> done.complete(null));
                connection.close();
            });
        } catch (Exception e) {
            // the edge may already have gone
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
