package io.meshwork.edge;

import io.meshwork.core.config.InvalidSettingException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the edge's MQTT listener keeps persistent sessions (clean session false, or an MQTT 5
 * session expiry): how many messages a session may have queued while its client is away or slow,
 * what happens beyond that, and where sessions are stored.
 *
 * @param maxQueuedMessages messages one session may hold queued ({@code edge.mqtt.queue.max.messages})
 * @param overflow          what happens to a message that finds the queue full ({@code edge.mqtt.queue.overflow})
 * @param dataDir           where sessions, subscriptions and queued messages are kept across edge
 *                          restarts ({@code edge.mqtt.data.dir}); {@code null}: in memory, lost with the edge
 */
public record MqttSessionSettings(int maxQueuedMessages, Overflow overflow, Path dataDir) {

    /** HiveMQ CE's own default queue limit. */
    public static final int DEFAULT_MAX_QUEUED_MESSAGES = 1000;
    /** Largest queue limit accepted: every queued message may stay in memory. */
    public static final int MAX_QUEUED_MESSAGES = 1_000_000;
    /** In memory, 1,000 messages per session, newest dropped when full. */
    public static final MqttSessionSettings DEFAULTS = new MqttSessionSettings(DEFAULT_MAX_QUEUED_MESSAGES, Overflow.DISCARD, null);

    /** What happens to a message for a session whose queue is full. Either way it is counted and logged. */
    public enum Overflow {
        /** The new message is dropped; the queue keeps the oldest (what the client has not seen for longest). */
        DISCARD("discard"),
        /** The oldest queued message is dropped to make room; the queue keeps the newest. */
        DISCARD_OLDEST("discard-oldest");

        private final String value;

        Overflow(String value) {
            this.value = value;
        }

        /** The name in configuration files (and in HiveMQ's own configuration). */
        public String value() {
            return value;
        }

        /** @throws InvalidSettingException naming {@code edge.mqtt.queue.overflow} for an unknown name */
        public static Overflow of(String value) {
            for (Overflow overflow : values()) {
                if (overflow.value.equals(value)) {
                    return overflow;
                }
            }
            throw InvalidSettingException.invalid(EdgeKeys.MQTT_QUEUE_OVERFLOW, value, "must be discard or discard-oldest");
        }
    }

    public MqttSessionSettings {
        InvalidSettingException.require(maxQueuedMessages >= 1 && maxQueuedMessages <= MAX_QUEUED_MESSAGES,
                EdgeKeys.MQTT_QUEUE_MAX_MESSAGES, Integer.toString(maxQueuedMessages), "must be within 1.." + MAX_QUEUED_MESSAGES);
        InvalidSettingException.require(overflow != null, EdgeKeys.MQTT_QUEUE_OVERFLOW, "null", "must be discard or discard-oldest");
    }

    /** The data directory, if sessions survive an edge restart. */
    public Optional<Path> persistentDataDir() {
        return Optional.ofNullable(dataDir);
    }

    public MqttSessionSettings withQueue(int messages, Overflow policy) {
        return new MqttSessionSettings(messages, policy, dataDir);
    }

    /** Keeps sessions in {@code dir} across restarts. */
    public MqttSessionSettings withDataDir(Path dir) {
        return new MqttSessionSettings(maxQueuedMessages, overflow, dir);
    }
}
