package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import io.meshwork.schema.v1.EventEnvelope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT 5 properties an event is delivered with.
 *
 * <p>An event an MQTT client published gets back what it was published with: its user properties
 * exactly (order and repeated names kept), content type, payload format indicator, response
 * topic, correlation data, and the message expiry interval less the time since the event was
 * published (MQTT 5 section 3.3.2.3.3), in any region. Any other event is delivered as the
 * CloudEvents MQTT binding says (binary mode): {@code datacontenttype} is the content type and
 * every other attribute a user property under its CloudEvents name.
 *
 * <p>The mesh's bookkeeping (the CloudEvents attributes an MQTT publisher did not send, and
 * {@value MqttEventReader#ROUTING_PATH_PROPERTY}) is added after the user properties, followed by
 * the {@value MqttDeliveryInterceptor#DELIVERY_PROPERTY} property that tells
 * {@link MqttDeliveryInterceptor} how many there are and who published: HiveMQ delivers one
 * message to every session, and the interceptor takes the bookkeeping out for each session that
 * did not ask for it.
 *
 * @param userProperties  the user properties every subscriber gets
 * @param bookkeeping     the user properties only subscribers that asked get
 * @param publisherRegion the region the event was published in, or {@code ""}
 * @param publisherClient the MQTT client that published it, or {@code ""}
 * @param publishedRetained whether it was published with the RETAIN flag
 */
record MqttOutboundMessage(List<Map.Entry<String, String>> userProperties, List<Map.Entry<String, String>> bookkeeping,
                           String contentType, Integer payloadFormat, Long messageExpiry, String responseTopic,
                           byte[] correlationData, String publisherRegion, String publisherClient, boolean publishedRetained) {

    private static final Logger LOG = LoggerFactory.getLogger(MqttOutboundMessage.class);
    private static final String DATA_CONTENT_TYPE = "datacontenttype";

    MqttOutboundMessage {
        userProperties = List.copyOf(userProperties);
        bookkeeping = List.copyOf(bookkeeping);
    }

    /**
     * @param nowMs the current time, epoch millis
     * @return the message, or empty if its expiry interval has passed since it was published
     */
    static Optional<MqttOutboundMessage> of(EventEnvelope envelope, long nowMs) {
        Map<String, String> headers = envelope.getHeadersMap();
        Long expiry = unsigned(headers.get(MqttAttributes.MESSAGE_EXPIRY));
        if (expiry != null && envelope.getPublishTimestampMs() > 0) {
            long elapsedMs = Math.max(0, nowMs - envelope.getPublishTimestampMs());
            if (elapsedMs >= expiry * 1000) {
                return Optional.empty();
            }
            expiry -= elapsedMs / 1000;
        }
        List<Map.Entry<String, String>> published = publishedUserProperties(envelope);
        List<Map.Entry<String, String>> userProperties = new ArrayList<>();
        List<Map.Entry<String, String>> bookkeeping = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        if (published != null) {
            userProperties.addAll(published);
            published.forEach(property -> sent.add(MqttEventReader.attributeName(property.getKey())));
        }
        headers.forEach((name, value) -> {
            if (name.equals(DATA_CONTENT_TYPE) || MqttAttributes.isBookkeeping(name) || sent.contains(name)) {
                return;
            }
            (published == null ? userProperties : bookkeeping).add(Map.entry(name, value));
        });
        bookkeeping.add(Map.entry(MqttEventReader.ROUTING_PATH_PROPERTY, String.join(",", envelope.getRoutingPathList())));
        return Optional.of(new MqttOutboundMessage(userProperties, bookkeeping, headers.get(DATA_CONTENT_TYPE),
                payloadFormat(headers.get(MqttAttributes.PAYLOAD_FORMAT)), expiry, responseTopic(headers.get(MqttAttributes.RESPONSE_TOPIC)),
                correlationData(headers.get(MqttAttributes.CORRELATION_DATA)),
                envelope.getRoutingPathCount() == 0 ? "" : envelope.getRoutingPath(0), headers.getOrDefault(MqttAttributes.CLIENT_ID, ""),
                "true".equals(headers.get(MqttAttributes.RETAIN))));
    }

    /** Sets the properties on a publish for every session: user properties, bookkeeping, then the delivery property. */
    void applyTo(PublishBuilder publish) {
        if (contentType != null) {
            publish.contentType(contentType);
        }
        if (payloadFormat != null) {
            publish.payloadFormatIndicator(payloadFormat == 1 ? PayloadFormatIndicator.UTF_8 : PayloadFormatIndicator.UNSPECIFIED);
        }
        if (messageExpiry != null) {
            publish.messageExpiryInterval(messageExpiry);
        }
        if (responseTopic != null) {
            publish.responseTopic(responseTopic);
        }
        if (correlationData != null) {
            publish.correlationData(ByteBuffer.wrap(correlationData));
        }
        userProperties.forEach(property -> publish.userProperty(property.getKey(), property.getValue()));
        bookkeeping.forEach(property -> publish.userProperty(property.getKey(), property.getValue()));
        publish.userProperty(MqttDeliveryInterceptor.DELIVERY_PROPERTY,
                MqttDeliveryInterceptor.deliveryValue(bookkeeping.size(), publisherRegion, publishedRetained, publisherClient));
    }

    /** The user properties an MQTT client published the event with, or {@code null} if it came from another protocol. */
    private static List<Map.Entry<String, String>> publishedUserProperties(EventEnvelope envelope) {
        String text = envelope.getHeadersMap().get(MqttAttributes.USER_PROPERTIES);
        if (text == null) {
            return null;
        }
        try {
            return MqttUserProperties.decode(text);
        } catch (IllegalArgumentException e) {
            // Set by hand by a publisher of another protocol: delivered as any other attribute would be.
            LOG.debug("event {} on {}: {}; delivered by the CloudEvents MQTT binding", envelope.getEventId(), envelope.getTopic(),
                    e.getMessage());
            return null;
        }
    }

    // Attributes set by publishers of other protocols may be anything: what MQTT cannot carry is left out.

    private static Long unsigned(String text) {
        try {
            long value = text == null ? -1 : Long.parseLong(text);
            return value >= 0 && value <= 0xFFFF_FFFFL ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer payloadFormat(String text) {
        return "0".equals(text) ? Integer.valueOf(0) : "1".equals(text) ? Integer.valueOf(1) : null;
    }

    private static String responseTopic(String text) {
        return text == null || text.isEmpty() || text.contains("+") || text.contains("#") ? null : text;
    }

    private static byte[] correlationData(String text) {
        try {
            return text == null ? null : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
