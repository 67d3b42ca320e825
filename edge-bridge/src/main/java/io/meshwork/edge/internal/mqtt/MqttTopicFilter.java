package io.meshwork.edge.internal.mqtt;

import io.meshwork.core.topic.TopicPattern;

/**
 * An MQTT topic filter as a client subscribed to it, and the mesh pattern it stands for: the
 * filter itself, or for a shared subscription ({@code $share/<group>/<filter>}, MQTT 5 section
 * 4.8.2) the inner filter. The mesh only needs to know that the edge wants the topics; which
 * member of the group gets each event is HiveMQ's business.
 *
 * @param filter  the filter exactly as subscribed
 * @param pattern the mesh pattern the edge must be interested in
 */
record MqttTopicFilter(String filter, TopicPattern pattern) {

    private static final String SHARE_PREFIX = "$share/";

    /**
     * @throws IllegalArgumentException if the (inner) filter is not a valid mesh pattern (an
     *     {@link io.meshwork.core.topic.InvalidTopicException} naming the problem), or a shared
     *     subscription names no group or no filter
     */
    static MqttTopicFilter parse(String filter) {
        if (!filter.startsWith(SHARE_PREFIX)) {
            return new MqttTopicFilter(filter, TopicPattern.parse(filter));
        }
        int groupEnd = filter.indexOf('/', SHARE_PREFIX.length());
        if (groupEnd <= SHARE_PREFIX.length() || groupEnd == filter.length() - 1) {
            throw new IllegalArgumentException("shared subscription '" + filter + "' must be $share/<group>/<filter>");
        }
        return new MqttTopicFilter(filter, TopicPattern.parse(filter.substring(groupEnd + 1)));
    }
}
