package io.meshwork.edge.internal.group;

import io.meshwork.core.topic.TopicPattern;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /**
     * The Kafka consumer group through which the edges of {@code region} holding members of this
     * group share its events: {@code meshwork-group-<region>-<name>-<hash>}, the hash (12 hex
     * digits of SHA-256) standing for pattern and selector, which may hold characters a Kafka ACL
     * prefix should not have to spell. ACL: READ on this group (or the prefix
     * {@code meshwork-group-<region>-}) and READ on {@code mesh.events}.
     */
    public String kafkaGroupId(String region) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((pattern.value() + '\u0000' + expression).getBytes(StandardCharsets.UTF_8));
            return "meshwork-group-" + region + "-" + name + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "group '" + name + "' on '" + pattern.value() + "'" + (expression.isEmpty() ? "" : " where " + expression);
    }
}
