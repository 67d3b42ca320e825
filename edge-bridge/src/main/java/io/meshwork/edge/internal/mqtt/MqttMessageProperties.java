package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.packets.publish.PayloadFormatIndicator;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 properties of a PUBLISH (or a will) that belong to the message and so travel with
 * it through the mesh. MQTT 3.1.1 messages have none of them.
 *
 * @param contentType      content type, or {@code null}
 * @param payloadFormat    payload format indicator (0 or 1), or {@code null} when not sent
 * @param messageExpiry    message expiry interval in seconds, or {@code null} when the message does not expire
 * @param responseTopic    response topic, or {@code null}
 * @param correlationData  correlation data, or {@code null}
 * @param userProperties   user properties in packet order, repeated names kept
 */
record MqttMessageProperties(String contentType, Integer payloadFormat, Long messageExpiry, String responseTopic,
                             byte[] correlationData, List<Map.Entry<String, String>> userProperties) {

    /** The largest message expiry interval MQTT can carry (a four-byte integer). */
    static final long MAX_EXPIRY = 0xFFFF_FFFFL;

    MqttMessageProperties {
        if (payloadFormat != null && payloadFormat != 0 && payloadFormat != 1) {
            throw new IllegalArgumentException("payload format indicator must be 0 or 1, not " + payloadFormat);
        }
        if (messageExpiry != null && (messageExpiry < 0 || messageExpiry > MAX_EXPIRY)) {
            throw new IllegalArgumentException("message expiry interval must be a four-byte integer, not " + messageExpiry);
        }
        userProperties = List.copyOf(userProperties);
    }

    /** Only user properties and a content type, as the mesh's readers took before they kept the rest. */
    static MqttMessageProperties of(String contentType, List<Map.Entry<String, String>> userProperties) {
        return new MqttMessageProperties(contentType, null, null, null, null, userProperties);
    }

    static MqttMessageProperties of(PublishPacket packet) {
        return new MqttMessageProperties(
                packet.getContentType().orElse(null),
                packet.getPayloadFormatIndicator().map(format -> format == PayloadFormatIndicator.UTF_8 ? 1 : 0).orElse(null),
                // HiveMQ reports 2^32, its "never expires", for a PUBLISH without the property.
                packet.getMessageExpiryInterval().filter(expiry -> expiry <= MAX_EXPIRY).orElse(null),
                packet.getResponseTopic().orElse(null),
                packet.getCorrelationData().map(MqttPublishInterceptor::bytes).orElse(null),
                MqttPublishInterceptor.userProperties(packet));
    }
}
