package io.meshwork.edge.internal.amqp;

import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressEntry;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.egress.EgressMetrics;
import io.meshwork.edge.internal.egress.EgressQueue;
import io.meshwork.edge.internal.egress.LossReport;
import io.meshwork.edge.internal.stream.Backlog;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.SessionTransport;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.vertx.core.Context;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonSender;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's receiver link: the edge's sending end of one subscription, and the transport of its
 * {@link io.meshwork.edge.internal.stream.SubscriptionSession} (one subscription per link, so each
 * link gets its own copy of an event, as AMQP links do).
 *
 * <p><b>Flow control is the link's credit.</b> Events wait in the link's bounded {@link EgressQueue}
 * and are sent only while the client has granted credit; a client that grants none is a slow
 * consumer, and the subscription's delivery policy applies to what waits (drop-oldest by default,
 * with {@value AmqpEventWriter#DROPPED_BEFORE} on the next delivery; conflate; disconnect, which
 * detaches the link with {@code amqp:resource-limit-exceeded}).
 *
 * <p><b>Settlement is at-least-once</b> unless the client asked for pre-settled deliveries: an
 * event is sent unsettled and kept until the client settles it. Accepted: done. Released, or
 * modified without undeliverable-here: sent again on this link, before newer events (modified with
 * delivery-failed counts in the message's delivery-count). Rejected, or modified with
 * undeliverable-here: the client refused it; not sent again, and logged. Events still
 * unsettled when the link ends are gone with the subscription, as on every protocol.
 *
 * <p>The link is opened (the client's attach answered) once the subscription is registered, so a
 * client that saw its receiver open gets every matching event published after that; with a hold
 * ({@code edge.mqtt.suback.hold}, which MQTT SUBACKs wait the same way) the answer waits until the
 * subscription is active in every region, for at most the hold.
 * Everything that touches the link runs on the connection's event loop.
 */
final class AmqpSubscriberLink implements SessionTransport, Backlog {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpSubscriberLink.class);

    private final ProtonSender link;
    private final Context context;
    private final String id;
    private final String region;
    private final EgressQueue queue;
    private final EgressMetrics metrics;
    private final Consumer<String> onDisconnect;
    private final java.time.Duration hold;
    // Event-loop only.
    private final ArrayDeque<Message> redeliveries = new ArrayDeque<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean opened;
    private volatile boolean ended;

    /**
     * @param hold         how long the attach may wait for the subscription to be active in every region
     * @param onDisconnect told, on the event loop, when the delivery policy {@code disconnect} ended the link
     */
    AmqpSubscriberLink(ProtonSender link, Context context, String id, String region, SubscriberQueueSettings limits,
                       java.time.Duration hold, Consumer<String> onDisconnect) {
        this.hold = hold;
        this.link = link;
        this.context = context;
        this.id = id;
        this.region = region;
        this.onDisconnect = onDisconnect;
        this.metrics = EgressMetrics.of(region, "amqp");
        this.queue = new EgressQueue(limits, new LossReport(region, this, metrics));
        metrics.add(queue);
        link.sendQueueDrainHandler(sender -> drain());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void deliver(OutboundEvent event) {
        throw new IllegalStateException("an AMQP subscription is registered with its queue lane");
    }

    /** On the delivery thread: only queues. */
    @Override
    public void deliver(OutboundEvent event, EgressLane lane) {
        if (ended) {
            return;
        }
        EventEnvelope envelope = event.envelope();
        String disconnect = queue.offer(lane, event, envelope.getTopic(), envelope.getSerializedSize());
        if (disconnect != null) {
            context.runOnContext(v -> disconnect(lane, disconnect));
            return;
        }
        scheduleDrain();
    }

    /**
     * Control frames are not AMQP messages. {@code MESH_ACTIVE} opens the link; so does
     * {@code SUBSCRIBED} once the hold has passed (at once without one), as MQTT SUBACKs are held.
     */
    @Override
    public void send(EventEnvelope frame) {
        StreamControl.Type type = frame.getControl().getType();
        if (type == StreamControl.Type.MESH_ACTIVE || type == StreamControl.Type.SUBSCRIBED && hold.isZero()) {
            context.runOnContext(v -> open());
        } else if (type == StreamControl.Type.SUBSCRIBED) {
            context.runOnContext(v -> context.owner().setTimer(hold.toMillis(), timer -> open()));
        } else if (type == StreamControl.Type.ERROR) {
            LOG.debug("{}: {}", this, frame.getControl().getMessage());
        }
    }

    @Override
    public int unsentFrames() {
        return queue.frames();
    }

    @Override
    public int pending() {
        return queue.messages();
    }

    /** The subscription was refused: the attach is answered without a source and the link closed with the error. */
    @Override
    public void close(Refusal reason) {
        Refusal named = new Refusal(reason.error(), AmqpSubscribeRequest.wireField(reason.field()), reason.getMessage());
        context.runOnContext(v -> {
            ended = true;
            queue.clear();
            AmqpLinks.refuse(link, named);
        });
    }

    /**
     * The subscription was cut (an ACL change no longer allows it): the link alone, not the
     * connection, is detached (closed) at once with the refusal's condition
     * ({@code amqp:unauthorized-access} naming the source address); what is queued is dropped.
     */
    @Override
    public void revoke(Refusal reason) {
        Refusal named = new Refusal(reason.error(), AmqpSubscribeRequest.wireField(reason.field()), reason.getMessage());
        ended = true; // nothing more is sent, from now on; the session's close marks the link ended too
        queue.clear();
        context.runOnContext(v -> {
            if (opened) {
                link.setCondition(AmqpErrors.condition(named));
                link.close();
            } else {
                AmqpLinks.refuse(link, named); // the attach was still held: answered as a refused SUBSCRIBE
            }
        });
    }

    @Override
    public EgressLane openLane(DeliveryPolicy policy, String pattern) {
        return queue.open(policy, pattern);
    }

    @Override
    public void closeLane(EgressLane lane) {
        queue.close(lane);
    }

    @Override
    public int discardLane(EgressLane lane) {
        return queue.discard(lane);
    }

    /** The link or its connection ended: nothing is sent any more. */
    void ended() {
        ended = true;
        queue.clear();
        metrics.remove(queue);
    }

    /** Ends the link from the edge's side, e.g. at shutdown. On the event loop. */
    void end(ErrorCondition condition) {
        if (!ended) {
            ended();
            link.setCondition(condition);
            link.close();
        }
    }

    private void open() {
        if (!opened && !ended) {
            opened = true;
            link.open();
            drain();
        }
    }

    private void disconnect(EgressLane lane, String reason) {
        if (ended) {
            return;
        }
        String why = "delivery-policy disconnect on " + lane.pattern() + ": " + reason;
        metrics.disconnected();
        end(new ErrorCondition(AmqpError.RESOURCE_LIMIT_EXCEEDED, why));
        onDisconnect.accept(why);
    }

    private void scheduleDrain() {
        if (opened && drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** Sends while the client has granted credit: redeliveries first, then the queue in order. */
    private void drain() {
        while (opened && !ended && !link.sendQueueFull()) {
            Message message = redeliveries.pollFirst();
            if (message == null) {
                EgressEntry entry = queue.poll();
                if (entry == null) {
                    return;
                }
                message = AmqpEventWriter.write(entry.frame().envelope(), entry.droppedBefore());
            }
            Message sent = message;
            link.send(message, delivery -> settled(delivery, sent));
        }
    }

    private void settled(ProtonDelivery delivery, Message message) {
        DeliveryState state = delivery.getRemoteState();
        if (state instanceof Released || state instanceof Modified modified && !Boolean.TRUE.equals(modified.getUndeliverableHere())) {
            if (state instanceof Modified modified && Boolean.TRUE.equals(modified.getDeliveryFailed())) {
                message.setDeliveryCount(message.getDeliveryCount() + 1);
            }
            if (!ended) {
                redeliveries.addLast(message);
                drain();
            }
        } else if (state instanceof Rejected || state instanceof Modified) {
            LOG.info("region {}: {} refused event {} on {} ({}); it is not sent again", region, this, message.getMessageId(),
                    message.getAddress(), state instanceof Rejected rejected && rejected.getError() != null
                            ? rejected.getError().getDescription() : state.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return "AMQP receiver link " + id;
    }
}
