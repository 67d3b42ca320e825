package io.meshwork.edge.internal.amqp;

import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicName;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.ingress.Ingress;
import io.vertx.core.Context;
import io.vertx.proton.ProtonDelivery;
import io.vertx.proton.ProtonReceiver;
import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.Modified;
import org.apache.qpid.proton.amqp.messaging.Rejected;
import org.apache.qpid.proton.amqp.messaging.Released;
import org.apache.qpid.proton.amqp.transport.AmqpError;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.amqp.transport.LinkError;
import org.apache.qpid.proton.amqp.transport.Target;
import org.apache.qpid.proton.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's sender link: each message it transfers is read as a CloudEvent
 * ({@link AmqpEventReader}) and published through the edge's one {@link Ingress}; its delivery is
 * settled only once Kafka answered. Accepted after Kafka's ack; rejected, with an error condition
 * naming the field, for bad input (and {@code amqp:unauthorized-access} naming the topic when the
 * connection's principal may not publish there); released when publishes on the topic are throttled, modified
 * (delivery failed) when Kafka did not acknowledge. Either of the last two may be resent.
 *
 * <p>Credit is the flow control: the link is granted {@value #CREDIT_WINDOW} and topped up as
 * Kafka answers, so at most that many messages per link are unsettled or on their way.
 *
 * <p>Everything here runs on the connection's event loop.
 */
final class AmqpPublishLink {

    /** Messages a sender may have granted or unsettled at once. */
    static final int CREDIT_WINDOW = 256;

    private static final Logger LOG = LoggerFactory.getLogger(AmqpPublishLink.class);

    private final ProtonReceiver link;
    private final Context context;
    private final Ingress ingress;
    private final Access access;
    private final AmqpEventReader reader;
    private final String address;
    private final String container;
    private final String name;
    private int unsettled;

    private AmqpPublishLink(ProtonReceiver link, Context context, Ingress ingress, Access access, AmqpEventReader reader,
                            String address, String container, String name) {
        this.access = access;
        this.link = link;
        this.context = context;
        this.ingress = ingress;
        this.reader = reader;
        this.address = address;
        this.container = container;
        this.name = name;
    }

    /**
     * Answers a client's attach of a sender link: opens it when its target address is empty (the
     * message's {@code to} then names the topic) or a valid topic, refuses it otherwise.
     *
     * @param maxMessageBytes largest message accepted on the link; a larger one ends the link
     */
    static void attach(ProtonReceiver link, Context context, Ingress ingress, Access access, AmqpEventReader reader, String container,
                       String connection, long maxMessageBytes) {
        Target target = link.getRemoteTarget();
        String address = target == null ? null : target.getAddress();
        String name = connection + " sender link '" + link.getName() + "'";
        if (address != null && !address.isEmpty()) {
            try {
                TopicName.of(address);
            } catch (InvalidTopicException e) {
                AmqpLinks.refuse(link, new Refusal(ClientError.INVALID_TOPIC, "address", "target address '" + address
                        + "' is not a mesh topic: " + e.getMessage()));
                LOG.debug("{} refused: invalid target address '{}'", name, address);
                return;
            }
        } else {
            address = null;
        }
        AmqpPublishLink publish = new AmqpPublishLink(link, context, ingress, access, reader, address, container, name);
        link.setTarget(target);
        link.setSource(link.getRemoteSource());
        link.setQoS(link.getRemoteQoS());
        link.setMaxMessageSize(UnsignedLong.valueOf(maxMessageBytes));
        link.setAutoAccept(false);
        link.setPrefetch(0);
        link.handler(publish::onMessage);
        link.maxMessageSizeExceededHandler(exceeded -> {
            LOG.debug("{}: a message exceeded {} bytes; link closed", name, maxMessageBytes);
            exceeded.setCondition(new ErrorCondition(LinkError.MESSAGE_SIZE_EXCEEDED, "message: larger than the link's "
                    + "max-message-size of " + maxMessageBytes + " bytes"));
        });
        link.closeHandler(closed -> link.close());
        link.detachHandler(detached -> link.detach());
        link.open();
        link.flow(CREDIT_WINDOW);
        LOG.debug("{} attached to {}", name, address == null ? "(message 'to')" : address);
    }

    private void onMessage(ProtonDelivery delivery, Message message) {
        unsettled++;
        if (delivery.remotelySettled()) {
            // Sent pre-settled (at most once): the client asked for no answer, but a refusal is still logged.
            ingress.publish(System.nanoTime(), access, () -> reader.read(address, container, message)).whenComplete((accepted, error) ->
                    context.runOnContext(v -> {
                        if (error != null) {
                            LOG.info("{}: a pre-settled message was not published: {}", name, Refusal.of(error).describe());
                        }
                        settled();
                    }));
            return;
        }
        ingress.publish(System.nanoTime(), access, () -> reader.read(address, container, message)).whenComplete((accepted, error) ->
                context.runOnContext(v -> {
                    if (error == null) {
                        delivery.disposition(Accepted.getInstance(), true);
                    } else {
                        answerRefusal(delivery, Refusal.of(error));
                    }
                    settled();
                }));
    }

    private void answerRefusal(ProtonDelivery delivery, Refusal refusal) {
        if (refusal.error() == ClientError.THROTTLED) {
            delivery.disposition(Released.getInstance(), true);
        } else if (refusal.error() == ClientError.BROKER_UNAVAILABLE) {
            Modified modified = new Modified();
            modified.setDeliveryFailed(true);
            delivery.disposition(modified, true);
        } else {
            Rejected rejected = new Rejected();
            rejected.setError(AmqpErrors.condition(refusal));
            delivery.disposition(rejected, true);
            LOG.debug("{}: message rejected: {} {}", name, refusal.error(), refusal.describe());
        }
    }

    /** One delivery answered: top the credit up once half the window is free. */
    private void settled() {
        unsettled--;
        if (!link.isOpen()) {
            return;
        }
        int granted = link.getCredit();
        if (granted + unsettled <= CREDIT_WINDOW / 2) {
            link.flow(CREDIT_WINDOW - granted - unsettled);
        }
    }

    @Override
    public String toString() {
        return name;
    }

}
