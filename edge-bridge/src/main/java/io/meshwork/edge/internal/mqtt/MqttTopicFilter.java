package io.meshwork.edge.internal.mqtt;

import io.meshwork.core.topic.TopicPattern;
import java.util.Optional;

/**
 * An MQTT topic filter as the broker holds it, and the mesh pattern it stands for: the filter
 * itself, or for a consumer group's subscription the inner filter.
 *
 * <p>A shared subscription ({@code $share/<group>/<filter>}, MQTT 5 section 4.8.2, or the SUBSCRIBE
 * user property {@code group}) is a member of the mesh consumer group {@code <group>} on
 * {@code <filter>}, which picks one member per event across the edges of the region. HiveMQ must
 * then not balance it too, so {@link MqttGroups} makes HiveMQ hold it as the plain subscription
 * {@code $mesh-group/<group>/<filter>} ({@link #held}): no event the mesh hands HiveMQ for
 * everyone matches it (mesh topics never start with {@code $}, and MQTT wildcards do not match a
 * leading {@code $}), and the member's own events are handed to its session alone under
 * {@link #memberTopic}, which the delivery interceptor turns back into the event's topic.
 *
 * @param filter  the filter exactly as the broker holds it
 * @param pattern the mesh pattern the edge must be interested in
 * @param group   the consumer group of a shared subscription; empty for a plain one
 */
record MqttTopicFilter(String filter, TopicPattern pattern, String group) {

    static final String SHARE_PREFIX = "$share/";
    /** How the broker holds a consumer group member's subscription; never a mesh topic. */
    static final String GROUP_PREFIX = "$mesh-group/";

    /**
     * @throws IllegalArgumentException if the (inner) filter is not a valid mesh pattern (an
     *     {@link io.meshwork.core.topic.InvalidTopicException} naming the problem), or a shared
     *     subscription names no group or no filter
     */
    static MqttTopicFilter parse(String filter) {
        String prefix = filter.startsWith(SHARE_PREFIX) ? SHARE_PREFIX : filter.startsWith(GROUP_PREFIX) ? GROUP_PREFIX : null;
        if (prefix == null) {
            return new MqttTopicFilter(filter, TopicPattern.parse(filter), "");
        }
        int groupEnd = groupEnd(filter, prefix);
        if (groupEnd < 0) {
            throw new IllegalArgumentException("shared subscription '" + filter + "' must be $share/<group>/<filter>");
        }
        return new MqttTopicFilter(filter, TopicPattern.parse(filter.substring(groupEnd + 1)),
                filter.substring(prefix.length(), groupEnd));
    }

    /** Whether this is a consumer group member's subscription. */
    boolean shared() {
        return !group.isEmpty();
    }

    /** The filter a {@code $share/<group>/<filter>} subscription is held under by the broker. */
    static String held(String group, String filter) {
        return GROUP_PREFIX + group + "/" + filter;
    }

    /**
     * The held form of a shared filter as a client sent it ({@code $share/<group>/<filter>});
     * empty for any other filter, or a malformed one (left to the authorizer to refuse).
     */
    static Optional<String> heldForm(String clientFilter) {
        if (!clientFilter.startsWith(SHARE_PREFIX) || groupEnd(clientFilter, SHARE_PREFIX) < 0) {
            return Optional.empty();
        }
        return Optional.of(GROUP_PREFIX + clientFilter.substring(SHARE_PREFIX.length()));
    }

    /** The topic under which an event on {@code topic} is handed to a member of {@code group}: it matches {@link #held} only. */
    static String memberTopic(String group, String topic) {
        return held(group, topic); // the held filter's own form: a topic under it matches the filter's pattern
    }

    /** The event's own topic of a {@link #memberTopic}; empty for any other topic. */
    static Optional<String> eventTopic(String brokerTopic) {
        if (!brokerTopic.startsWith(GROUP_PREFIX)) {
            return Optional.empty();
        }
        int groupEnd = brokerTopic.indexOf('/', GROUP_PREFIX.length());
        return groupEnd < 0 ? Optional.empty() : Optional.of(brokerTopic.substring(groupEnd + 1));
    }

    /** Where the group name after {@code prefix} ends; -1 when there is no name or no filter after it. */
    private static int groupEnd(String filter, String prefix) {
        int end = filter.indexOf('/', prefix.length());
        return end <= prefix.length() || end == filter.length() - 1 ? -1 : end;
    }
}
