package io.meshwork.edge.internal.auth;

import io.meshwork.core.auth.MeshPrincipal;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one client connection or request may do: open (auth off), a verified principal's
 * permissions, or nothing (auth on, no credentials). Checked at every publish and subscribe; a
 * principal whose token expired during a long connection is refused from then on, and the
 * connection itself ends then ({@link #untilExpiry}). A token expires at its {@code exp} plus the
 * configured clock skew, the same instant the verifier stops accepting it; a client certificate
 * that authenticated a client without a token ({@link EdgeAuth#certified}) at its {@code notAfter},
 * the instant a TLS handshake stops accepting it (certificate validation allows no skew).
 */
public final class Access {

    private static final Access OPEN = new Access(null, null, null, false);

    private final EdgeAuth auth;
    private final IngressProtocol protocol;
    private final MeshPrincipal principal;
    private final boolean certified;

    /** @param principal {@code null}: an anonymous client of an edge with auth on (when {@code auth} is set) */
    Access(EdgeAuth auth, IngressProtocol protocol, MeshPrincipal principal) {
        this(auth, protocol, principal, false);
    }

    /** @param certified the principal is a client certificate's (mTLS), not a token's: its expiry is the certificate's */
    Access(EdgeAuth auth, IngressProtocol protocol, MeshPrincipal principal, boolean certified) {
        this.auth = auth;
        this.protocol = protocol;
        this.principal = principal;
        this.certified = certified;
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

    /**
     * Calls {@code end} once, on the edge's expiry timer, when this access's token expires, with a
     * {@link ClientError#TOKEN_EXPIRED} refusal (counted and logged): the connection must then stop
     * delivering and close. {@code end} must not block. Nothing is scheduled with auth off or
     * without a principal.
     *
     * @param connection the connection as logs name it
     * @return cancel it when the connection ends first
     */
    public TokenExpiry.Watch untilExpiry(String connection, Consumer<Refusal> end) {
        if (this == OPEN || principal == null) {
            return TokenExpiry.NONE;
        }
        return TokenExpiry.at(deadline(), () -> auth.expiredConnection(protocol, principal.name(), connection, certified), end);
    }

    /**
     * Holds a subscription to {@code pattern} just granted, until the returned watch is cancelled (the
     * subscription or its connection ended): when an ACL change no longer allows it, {@code cut} is
     * called once, on the thread that applied the change, with a {@link ClientError#NOT_AUTHORIZED}
     * refusal naming the pattern (counted and logged). {@code cut} must end the subscription without
     * blocking for long (it runs on the thread that follows {@code mesh.acls}), and drop what is
     * queued for it ({@link #droppedAtCut}). Nothing is held with auth off
     * or without a principal.
     *
     * @param connection the connection as logs name it
     */
    public TokenExpiry.Watch whileAllowed(TopicPattern pattern, String connection, Consumer<Refusal> cut) {
        if (this == OPEN || principal == null) {
            return TokenExpiry.NONE;
        }
        return auth.grants().hold(protocol, principal, pattern, connection, cut);
    }

    /** Whether the principal may receive events of {@code topic} now (no refusal is counted). */
    public boolean mayReceive(TopicName topic) {
        if (this == OPEN) {
            return true;
        }
        return principal != null && auth.permissions(principal).maySubscribe(new TopicPattern(topic.value()));
    }

    /** Counts and logs {@code events} that were queued for a subscription cut by {@link #whileAllowed}, dropped undelivered. */
    public void droppedAtCut(String connection, String pattern, long events) {
        droppedAtCut(connection, pattern, events, true);
    }

    /**
     * As {@link #droppedAtCut(String, String, long)}; {@code log} false only counts, for a protocol that
     * drops such events one at a time (MQTT) and logs only the first.
     */
    public void droppedAtCut(String connection, String pattern, long events, boolean log) {
        if (auth != null) {
            auth.droppedAtCut(protocol, connection, pattern, events, log);
        }
    }

    private Instant deadline() {
        return certified ? principal.expiresAt() : principal.expiresAt().plus(auth.clockSkew());
    }

    private void requireAuthenticated(String action, String topic) {
        if (principal == null) {
            throw auth.anonymousRefused(protocol, action, topic);
        }
        if (deadline().isBefore(Instant.now())) {
            throw auth.expired(protocol, principal.name(), certified);
        }
    }
}
