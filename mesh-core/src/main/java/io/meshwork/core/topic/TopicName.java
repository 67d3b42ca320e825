package io.meshwork.core.topic;

import java.util.List;

/**
 * A concrete topic an event is published on, e.g. {@code orders/ap/billing}.
 *
 * <p>Levels are separated by {@code /}. A valid topic name is non-empty, at most
 * {@value #MAX_LENGTH} characters (code points) long, has at most {@value #MAX_LEVELS} levels
 * and contains neither the wildcards {@code +} and {@code #} nor U+0000 nor unpaired
 * surrogates. Empty levels are allowed, as in MQTT: {@code a//b}, {@code /a} and {@code a/}
 * are valid. Topics whose first level starts with {@code $} are system topics and are not
 * matched by patterns that begin with a wildcard.
 *
 * @param value the topic as text
 * @throws InvalidTopicException if {@code value} is null or not a valid topic name
 */
public record TopicName(String value) {

    /** Longest topic in characters (code points); the schema stores topics as VARCHAR(256). */
    public static final int MAX_LENGTH = 256;

    /** Most levels a topic or pattern may have. */
    public static final int MAX_LEVELS = 32;

    /** Validates the topic. */
    public TopicName {
        TopicSyntax.checkName(value);
    }

    /**
     * Validates and wraps a topic.
     *
     * @param value the topic as text
     * @return the topic name
     * @throws InvalidTopicException if {@code value} is null or not a valid topic name
     */
    public static TopicName of(String value) {
        return new TopicName(value);
    }

    /**
     * The topic the mesh derives from a CloudEvents {@code type} when an event names no topic:
     * every {@code .} becomes {@code /}, so {@code com.codesprintpro.order.created} becomes
     * {@code com/codesprintpro/order/created}. The result is validated like any topic; since
     * the replacement keeps every character in place, a reported position is also the position
     * in {@code ceType}.
     *
     * @param ceType the CloudEvents {@code type} attribute
     * @return the derived topic name
     * @throws InvalidTopicException if {@code ceType} is null or does not give a valid topic
     */
    public static TopicName fromCloudEventType(String ceType) {
        return new TopicName(ceType == null ? null : ceType.replace('.', TopicSyntax.SEPARATOR));
    }

    /**
     * The levels of this topic, empty levels included: {@code /a/} gives {@code ["", "a", ""]}.
     *
     * @return the levels, at least one, as an unmodifiable list
     */
    public List<String> levels() {
        return List.of(TopicSyntax.split(value));
    }

    /**
     * Whether this is a system topic, i.e. its first level starts with {@code $}
     * (e.g. {@code $SYS/brokers}). Patterns starting with {@code +} or {@code #} do not match it.
     *
     * @return true for a system topic
     */
    public boolean isSystemTopic() {
        return value.charAt(0) == '$';
    }

    /**
     * The topic as text, so that topics read naturally in logs and messages.
     *
     * @return {@link #value()}
     */
    @Override
    public String toString() {
        return value;
    }
}
