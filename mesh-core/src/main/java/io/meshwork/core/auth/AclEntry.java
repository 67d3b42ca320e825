package io.meshwork.core.auth;

import io.meshwork.core.topic.TopicPattern;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One topic permission the control plane keeps for a principal (a token's {@code sub} or a client
 * certificate's name): allow or deny it to publish to, or subscribe within, a topic filter. Edges
 * add a principal's entries to its token claims ({@link AclTable}); deny wins as it does in the
 * claims.
 */
public record AclEntry(UUID id, String principal, Action action, Effect effect, TopicPattern filter, Instant createdAt) {

    /** What an entry governs. */
    public enum Action {
        PUBLISH, SUBSCRIBE;

        /** The lower-case name the API and the wire use. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the allowed values */
        public static Action parse(String text) {
            for (Action action : values()) {
                if (action.tag().equals(text)) {
                    return action;
                }
            }
            throw new IllegalArgumentException("must be publish or subscribe, was '" + text + "'");
        }
    }

    /** Whether an entry grants or forbids. */
    public enum Effect {
        ALLOW, DENY;

        /** The lower-case name the API and the wire use. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the allowed values */
        public static Effect parse(String text) {
            for (Effect effect : values()) {
                if (effect.tag().equals(text)) {
                    return effect;
                }
            }
            throw new IllegalArgumentException("must be allow or deny, was '" + text + "'");
        }
    }

    public AclEntry {
        Objects.requireNonNull(id, "id");
        if (principal == null || principal.isBlank()) {
            throw new IllegalArgumentException("an ACL entry needs a non-blank principal");
        }
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
