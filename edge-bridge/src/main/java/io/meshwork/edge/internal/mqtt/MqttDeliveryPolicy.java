package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.packets.general.UserProperties;
import io.meshwork.edge.MqttSessionSettings;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import java.util.List;
import java.util.Optional;

/**
 * What the MQTT listener makes of an MQTT 5 SUBSCRIBE's {@code delivery-policy} user property
 * (DESIGN.md 2.6). HiveMQ, not the edge, queues an MQTT session's messages, in one queue per
 * client whose overflow strategy is the listener's ({@code edge.mqtt.queue.overflow}), so only
 * what that queue does can be promised:
 * <ul>
 *   <li>no property: the listener's overflow, as before;</li>
 *   <li>{@code drop-oldest}: granted when the listener drops the oldest queued message
 *       ({@code discard-oldest}), refused when it drops the newest ({@code discard});</li>
 *   <li>{@code conflate}, {@code disconnect}, {@code durable}: refused, HiveMQ's queue cannot
 *       keep one message per topic, disconnect a client on a backlog, or read from a Kafka
 *       position (an MQTT persistent session is MQTT's own way not to lose messages);</li>
 *   <li>any other value, or two different values: refused.</li>
 * </ul>
 * A refusal is a SUBACK failure 0x83 (implementation specific error) for that filter, with a
 * reason string starting {@code delivery-policy:}; the client's other filters are unaffected.
 */
final class MqttDeliveryPolicy {

    /** The SUBSCRIBE user property naming the policy. */
    static final String PROPERTY = "delivery-policy";

    private final MqttSessionSettings.Overflow overflow;

    MqttDeliveryPolicy(MqttSessionSettings.Overflow overflow) {
        this.overflow = overflow;
    }

    /** Empty when the SUBSCRIBE may be granted; otherwise the SUBACK's reason string. */
    Optional<String> refusal(UserProperties properties) {
        List<String> values = properties.getAllForName(PROPERTY).stream().distinct().toList();
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            return refused("given " + values.size() + " different values " + values + "; give one");
        }
        String name = values.get(0);
        Optional<DeliveryPolicy> policy = DeliveryPolicy.fromWire(name);
        if (policy.isEmpty() || name.isEmpty()) {
            return refused("unknown delivery-policy '" + name + "'; MQTT subscriptions accept drop-oldest"
                    + " (of " + DeliveryPolicy.wireNames() + ")");
        }
        return switch (policy.get()) {
            case DROP_OLDEST -> overflow == MqttSessionSettings.Overflow.DISCARD_OLDEST ? Optional.empty()
                    : refused("drop-oldest is not available on this edge: its MQTT session queues drop the newest message "
                            + "(edge.mqtt.queue.overflow=" + overflow.value() + ")");
            case CONFLATE -> refused("conflate is not supported over MQTT: the broker's session queue cannot keep one message per topic");
            case DISCONNECT -> refused("disconnect is not supported over MQTT: the broker's session queue drops by "
                    + "edge.mqtt.queue.overflow instead");
            case DURABLE -> refused("durable is not supported over MQTT; use a persistent session (clean start 0, session expiry)");
        };
    }

    private static Optional<String> refused(String why) {
        return Optional.of(PROPERTY + ": " + why);
    }
}
