package io.meshwork.edge.internal.group;

import io.meshwork.core.topic.TopicPattern;
import java.util.Objects;

/**
 * What makes subscriptions members of one consumer group: the group name, the topic pattern and
 * the selector, as an MQTT shared subscription is its share name and topic filter. Members of a
 * name with a different pattern or selector form another group, so no member is handed an event
 * its own subscription does not match.
 *
 * @param name       the group name as the client sent it
 * @param pattern    the subscription's topic pattern
 * @param expression the selector, stripped; empty when unfiltered
 */
public record GroupKey(String name, TopicPattern pattern, String expression) {

    public GroupKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        expression = Objects.requireNonNull(expression, "expression").strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a consumer group needs a name");
        }
    }

    @Override
    public String toString() {
        return "group '" + name + "' on '" + pattern.value() + "'" + (expression.isEmpty() ? "" : " where " + expression);
    }
}
