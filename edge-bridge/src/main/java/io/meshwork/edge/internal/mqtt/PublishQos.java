package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.Map;

/**
 * The QoS an event was published with, carried with the event as the CloudEvents extension
 * attribute {@value #ATTRIBUTE} (Kafka header {@code ce_mqttqos}), so that every edge can hand it
 * to HiveMQ at that QoS and HiveMQ grants each subscriber min(publish QoS, subscription QoS), as
 * MQTT 3.1.1 §4.3 and MQTT 5 §3.8.3.1 say.
 *
 * <p>An MQTT PUBLISH always gets its own QoS (a user property of that name is overridden: the
 * QoS is the packet's, not the client's to claim). An event without the attribute (REST, gRPC,
 * WebSocket, AMQP, Kafka-native) is delivered at {@link #WITHOUT_ATTRIBUTE}: those publishers are
 * answered once Kafka acknowledged the event, an at-least-once promise, and they did not ask for
 * more. A publisher of another protocol that wants QoS 2 deliveries sets the attribute itself.
 */
final class PublishQos {

    /** The CloudEvents extension attribute holding the publish QoS: 0, 1 or 2. */
    static final String ATTRIBUTE = MqttAttributes.QOS;
    /** QoS of events that carry no (or no valid) {@value #ATTRIBUTE}. */
    static final Qos WITHOUT_ATTRIBUTE = Qos.AT_LEAST_ONCE;

    private PublishQos() {
    }

    /** {@code event} with {@value #ATTRIBUTE} set to {@code qos}. */
    static CloudEvent stamp(CloudEvent event, Qos qos) {
        return CloudEventBuilder.from(event).withExtension(ATTRIBUTE, qos.getQosNumber()).build();
    }

    /** The publish QoS in an envelope's headers; {@link #WITHOUT_ATTRIBUTE} when absent or not 0, 1 or 2. */
    static Qos of(Map<String, String> headers) {
        String value = headers.get(ATTRIBUTE);
        if (value == null) {
            return WITHOUT_ATTRIBUTE;
        }
        return switch (value.trim()) {
            case "0" -> Qos.AT_MOST_ONCE;
            case "1" -> Qos.AT_LEAST_ONCE;
            case "2" -> Qos.EXACTLY_ONCE;
            default -> WITHOUT_ATTRIBUTE;
        };
    }
}
