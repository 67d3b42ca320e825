package io.meshwork.edge.internal.amqp;

import io.meshwork.schema.v1.EventEnvelope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.message.Message;

/**
 * Writes an event as an AMQP message by the CloudEvents AMQP binding, binary mode: every
 * attribute but {@code datacontenttype} as an application property {@code cloudEvents:<name>},
 * {@code datacontenttype} as {@code properties.content-type}, the data as one {@code data}
 * section. The mesh adds {@code properties.message-id} (the event id), {@code to} and
 * {@code subject} (the topic), {@code creation-time} (publish time) and the application
 * properties {@value #ROUTING_PATH} and, after a loss, {@value #DROPPED_BEFORE}.
 */
final class AmqpEventWriter {

    /** Application property: broker ids the event traversed, origin first, comma-separated. */
    static final String ROUTING_PATH = "mesh-routing-path";
    /** Application property: events dropped for this subscription since its previous delivery (only when some were). */
    static final String DROPPED_BEFORE = "mesh-dropped-before";

    private static final String DATA_CONTENT_TYPE = "datacontenttype";

    private AmqpEventWriter() {
    }

    static Message write(EventEnvelope envelope, long droppedBefore) {
        Message message = Proton.message();
        message.setMessageId(envelope.getEventId());
        message.setAddress(envelope.getTopic());
        message.setSubject(envelope.getTopic());
        if (envelope.getPublishTimestampMs() > 0) {
            message.setCreationTime(envelope.getPublishTimestampMs());
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        envelope.getHeadersMap().forEach((name, value) -> {
            if (name.equals(DATA_CONTENT_TYPE)) {
                message.setContentType(value);
            } else {
                properties.put(AmqpEventReader.PREFIX + name, value);
            }
        });
        properties.put(ROUTING_PATH, String.join(",", envelope.getRoutingPathList()));
        long dropped = envelope.getDroppedBefore() + droppedBefore;
        if (dropped > 0) {
            properties.put(DROPPED_BEFORE, dropped);
        }
        message.setApplicationProperties(new ApplicationProperties(properties));
        message.setBody(new Data(new Binary(envelope.getPayloadBytes().toByteArray())));
        return message;
    }
}
