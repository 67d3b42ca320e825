package io.meshwork.core.auth;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated client: its name (the token's {@code sub}), its roles and topic permissions,
 * and when its token expires.
 */
public record MeshPrincipal(String name, Set<String> roles, Permissions permissions, Instant expiresAt) {

    /** The role the control plane's admin API asks for. */
    public static final String ADMIN_ROLE = "admin";

    public MeshPrincipal {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a principal needs a non-blank name");
        }
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean mayPublish(TopicName topic) {
        return permissions.mayPublish(topic);
    }

    public boolean maySubscribe(TopicPattern pattern) {
        return permissions.maySubscribe(pattern);
    }
}
