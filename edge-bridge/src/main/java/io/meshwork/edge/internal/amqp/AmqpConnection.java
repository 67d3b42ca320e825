package io.meshwork.edge.internal.amqp;

import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.internal.EdgeContext;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.TokenExpiry;
import io.meshwork.edge.internal.ingress.Ingress;
import io.meshwork.edge.internal.stream.SubscriptionSession;
import io.vertx.core.Context;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.ProtonSender;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's AMQP connection: opens what the client opens, makes each sender link an
 * {@link AmqpPublishLink} and each receiver link an {@link AmqpSubscriberLink} with its
 * {@link SubscriptionSession}, and ends every subscription however the connection or link ends.
 * Runs on the connection's event loop.
 */
final class AmqpConnection {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

    private final ProtonConnection connection;
    private final Context context;
    private final EdgeContext edge;
    private final Ingress ingress;
    private final AmqpEventReader reader;
    private final String id;
    private final Access access;
    private final Runnable onClosed;
    private final Map<AmqpSubscriberLink, SubscriptionSession> subscriptions = new ConcurrentHashMap<>();
    private int links;
    private boolean closed;
    private TokenExpiry.Watch expiry = TokenExpiry.NONE;

    AmqpConnection(ProtonConnection connection, Context context, EdgeContext edge, Ingress ingress, AmqpEventReader reader,
                   String id, Access access, Runnable onClosed) {
        this.access = access;
        this.connection = connection;
        this.context = context;
        this.edge = edge;
        this.ingress = ingress;
        this.reader = reader;
        this.id = id;
        this.onClosed = onClosed;
    }

    /** Takes over the connection: its open, sessions, links and end. */
    void serve() {
        EdgeConfig config = edge.config();
        long maxMessageBytes = 2L * config.maxPayloadBytes() + AmqpListener.MESSAGE_OVERHEAD_BYTES;
        connection.openHandler(opened -> {
            connection.setContainer("meshwork-edge-" + config.region());
            connection.open();
            LOG.debug("region {}: {} opened by container '{}'", config.region(), id, connection.getRemoteContainer());
        });
        connection.sessionOpenHandler(session -> {
            session.closeHandler(closedSession -> session.close());
            session.open();
        });
        connection.receiverOpenHandler(link -> AmqpPublishLink.attach(link, context, ingress, access, reader,
                connection.getRemoteContainer(), id, maxMessageBytes));
        connection.senderOpenHandler(this::subscribe);
        connection.closeHandler(closedByClient -> {
            end("closed by the client");
            connection.close();
            connection.disconnect();
        });
        connection.disconnectHandler(gone -> end("disconnected"));
        // An expired token ends the whole connection, every link with it, with amqp:unauthorized-access.
        expiry = access.untilExpiry(id, refusal -> context.runOnContext(now -> {
            if (!closed) {
                close(AmqpErrors.condition(refusal));
            }
        }));
    }

    private void subscribe(ProtonSender link) {
        String linkId = id + "/" + (++links);
        EdgeConfig config = edge.config();
        SubscriptionSession[] session = new SubscriptionSession[1];
        AmqpSubscriberLink subscriber = new AmqpSubscriberLink(link, context, linkId, config.region(), config.subscriberQueue(),
                config.mqttSubackHold(), reason -> {
                    LOG.info("region {}: disconnected AMQP receiver link {}: {}", config.region(), linkId, reason);
                    session[0].close("disconnected: " + reason);
                });
        session[0] = new SubscriptionSession(subscriber, edge.registry(), edge.activation(), config.region(),
                SubscriptionSession.WhenRefused.END_IF_NO_SUBSCRIPTION, () -> {
                    subscriptions.remove(subscriber);
                    subscriber.ended();
                }, null, access);
        AmqpSubscribeRequest request = AmqpSubscribeRequest.of((Source) link.getRemoteSource(), link.getRemoteProperties());
        Source source = (Source) link.getRemoteSource();
        if (source != null) {
            source.setFilter(request.appliedFilters().isEmpty() ? null : request.appliedFilters());
        }
        link.setSource(source);
        link.setTarget(link.getRemoteTarget());
        link.setQoS(link.getRemoteQoS());
        link.closeHandler(closed -> {
            session[0].close("closed by the client");
            link.close();
        });
        link.detachHandler(detached -> {
            session[0].close("detached by the client");
            link.detach();
        });
        subscriptions.put(subscriber, session[0]);
        session[0].handle(request.request());
    }

    /** Ends the connection from the edge's side (shutdown): every link closed with {@code condition}. On the event loop. */
    void close(ErrorCondition condition) {
        subscriptions.keySet().forEach(link -> link.end(condition));
        end("ended by the edge");
        connection.setCondition(condition);
        connection.close();
        connection.disconnect();
    }

    private void end(String how) {
        if (closed) {
            return;
        }
        closed = true;
        expiry.cancel();
        subscriptions.values().forEach(session -> session.close(how));
        subscriptions.clear();
        onClosed.run();
        LOG.debug("region {}: {} {}", edge.config().region(), id, how);
    }

    /** The event loop this connection runs on. */
    Context context() {
        return context;
    }
}
