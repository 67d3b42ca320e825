package io.meshwork.edge.internal.auth;

import io.meshwork.core.auth.MeshPrincipal;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.time.Instant;
import java.util.Optional;

/**
 * What one client connection or request may do: open (auth off), a verified principal's
 * permissions, or nothing (auth on, no credentials). Checked at every publish and subscribe; a
 * principal whose token expired during a long connection is refused from then on.
 */
public final class Access {

    private static final Access OPEN = new Access(null, null, null);

    private final EdgeAuth auth;
    private final IngressProtocol protocol;
    private final MeshPrincipal principal;

    /** @param principal {@code null}: an anonymous client of an edge with auth on (when {@code auth} is set) */
    Access(EdgeAuth auth, IngressProtocol protocol, MeshPrincipal principal) {
        this.auth = auth;
        this.protocol = protocol;
        this.principal = principal;
    }

    /** Everything allowed: auth is off. */
    public static Access open() {
        return OPEN;
    }

    /** The principal's name, empty when auth is off or the client is anonymous. */
    public Optional<String> principal() {
        return Optional.ofNullable(principal).map(MeshPrincipal::name);
    }

    /**
     * @throws Refusal {@link ClientError#NOT_AUTHORIZED} naming {@code topic} when the principal may not publish there,
     *                 {@link ClientError#UNAUTHENTICATED} when it is anonymous or its token expired
     */
    public void checkPublish(TopicName topic) {
        if (this == OPEN) {
            return;
        }
        requireAuthenticated("publish", topic.value());
        if (!auth.permissions(principal).mayPublish(topic)) {
            throw auth.notAuthorized(protocol, principal.name(), "publish", topic.value(), "topic");
        }
    }

    /**
     * @throws Refusal {@link ClientError#NOT_AUTHORIZED} naming {@code topic_pattern} unless the principal may receive
     *                 every topic {@code pattern} can match; {@link ClientError#UNAUTHENTICATED} as for publishing
     */
    public void checkSubscribe(TopicPattern pattern) {
        if (this == OPEN) {
            return;
        }
        requireAuthenticated("subscribe to", pattern.value());
        if (!auth.permissions(principal).maySubscribe(pattern)) {
            throw auth.notAuthorized(protocol, principal.name(), "subscribe to", pattern.value(), "topic_pattern");
        }
    }

    private void requireAuthenticated(String action, String topic) {
        if (principal == null) {
            throw auth.anonymousRefused(protocol, action, topic);
        }
        if (principal.expiresAt().isBefore(Instant.now())) {
            throw auth.expired(protocol, principal.name());
        }
    }
}
