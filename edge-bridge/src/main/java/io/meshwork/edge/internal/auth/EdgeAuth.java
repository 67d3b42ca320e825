package io.meshwork.edge.internal.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.meshwork.core.auth.AclTable;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.auth.MeshPrincipal;
import io.meshwork.core.auth.Permissions;
import io.meshwork.core.auth.TokenClaims;
import io.meshwork.core.auth.TokenRejected;
import io.meshwork.core.auth.TokenVerifier;
import io.meshwork.core.metrics.MeshMetrics;
import io.meshwork.core.tls.TlsPrincipal;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.micrometer.core.instrument.Counter;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's authentication: turns a client's bearer token into its {@link Access}, or refuses it
 * with {@link ClientError#UNAUTHENTICATED}; with auth off every client gets open access, exactly
 * as before. A client that presents no token but a client certificate its TLS listener verified
 * (mTLS) is the certificate's principal ({@link TlsPrincipal}: first SAN, else CN) with no roles
 * and no claims, so only its control-plane ACL entries allow it anything ({@link #certified}).
 * Counts every refused attempt as {@code mesh.edge.auth.refused{region,protocol,reason}} and logs
 * it with the principal (when known), protocol, topic and reason; a token is never logged.
 */
public final class EdgeAuth {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAuth.class);
    /** The refusal reason of a connection ended because its token expired while it was open. */
    public static final String EXPIRED_CONNECTION = "connection_expired";
    /** The refusal reason of a client whose client certificate (its only credential) expired while connected. */
    public static final String EXPIRED_CERTIFICATE = "certificate_expired";
    /** The refusal reason of a granted subscription an ACL change no longer allows, cut while it was live. */
    public static final String REVOKED_SUBSCRIPTION = "subscription_revoked";

    private final String region;
    private final TokenVerifier verifier;
    private final Duration clockSkew;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final AclTable acls = new AclTable();
    private final SubscriptionGrants grants = new SubscriptionGrants(this);
    private final Map<String, Counter> droppedAtCut = new ConcurrentHashMap<>();

    private EdgeAuth(String region, TokenVerifier verifier, Duration clockSkew) {
        this.region = region;
        this.verifier = verifier;
        this.clockSkew = clockSkew;
        acls.onChange(grants::recheck);
    }

    /**
     * The edge's authentication as {@code settings} say.
     *
     * @throws io.meshwork.core.config.InvalidSettingException naming the key when the keys cannot be read
     */
    public static EdgeAuth of(AuthSettings settings, String region) {
        return new EdgeAuth(region, settings.enabled() ? new TokenVerifier(settings) : null, settings.clockSkew());
    }

    /** The control plane's ACL entries as this edge knows them ({@link AclFollower} keeps them current). */
    public AclTable acls() {
        return acls;
    }

    /** What {@code principal} may do now: its token's claims joined with its ACL entries, deny winning. */
    Permissions permissions(MeshPrincipal principal) {
        return acls.effective(principal);
    }

    /** Whether clients must authenticate. */
    public boolean enabled() {
        return verifier != null;
    }

    /** The token of an {@code Authorization: Bearer <jwt>} value; {@code null} when there is none. */
    public static String bearer(String authorization) {
        return TokenVerifier.bearerToken(authorization);
    }

    /**
     * The access of a client that presented {@code token} (or none).
     *
     * @param connection the client as logs name it (remote address, client id)
     * @throws Refusal {@link ClientError#UNAUTHENTICATED} naming {@code authorization} when auth is on and the token is refused
     */
    public Access authenticate(IngressProtocol protocol, String token, String connection) {
        if (verifier == null) {
            return Access.open();
        }
        return new Access(this, protocol, principal(protocol, token, connection));
    }

    /**
     * The access of a client that presented {@code token}, or without one the client certificate its
     * TLS listener verified ({@code null}: none): a token, when presented, wins.
     *
     * @param connection the client as logs name it (remote address, client id)
     * @throws Refusal {@link ClientError#UNAUTHENTICATED} naming {@code authorization} when auth is on and the client
     *                 presented neither a token that verifies nor a client certificate
     */
    public Access authenticate(IngressProtocol protocol, String token, X509Certificate certificate, String connection) {
        if (verifier != null && token == null && certificate != null) {
            return certified(protocol, certificate, connection);
        }
        return authenticate(protocol, token, connection);
    }

    /**
     * The access of a client authenticated by the client certificate its TLS listener verified (the
     * caller checks that no token was presented): principal {@link TlsPrincipal#from(X509Certificate)},
     * permissions only its ACL entries, until the certificate's {@code notAfter}.
     *
     * @throws Refusal {@link ClientError#UNAUTHENTICATED} when the certificate names no principal (no SAN, no CN)
     */
    public Access certified(IngressProtocol protocol, X509Certificate certificate, String connection) {
        if (verifier == null) {
            return Access.open();
        }
        TlsPrincipal name = TlsPrincipal.from(certificate).orElseThrow(() -> {
            count(protocol, "certificate_without_principal");
            LOG.info("region {}: {} client {} not authenticated: its client certificate ({}) names no principal", region,
                    protocol.tag(), connection, certificate.getSubjectX500Principal().getName());
            return new Refusal(ClientError.UNAUTHENTICATED, "authorization",
                    "the client certificate names no principal (no subject alternative name, no CN), and no bearer token was presented");
        });
        LOG.debug("region {}: {} client {} authenticated by its client certificate as {}", region, protocol.tag(), connection,
                name.name());
        return certified(protocol, name.name(), certificate.getNotAfter().toInstant());
    }

    /** The access of a certificate's principal verified earlier on this connection (MQTT keeps name and notAfter). */
    public Access certified(IngressProtocol protocol, String principal, Instant notAfter) {
        return new Access(this, protocol, new MeshPrincipal(principal, Set.of(), Permissions.NONE, notAfter), true);
    }

    /**
     * The verified claims of {@code token}, for a protocol that keeps them with its connection (MQTT).
     *
     * @throws Refusal {@link ClientError#UNAUTHENTICATED} when the token is refused
     */
    public JWTClaimsSet verifiedClaims(IngressProtocol protocol, String token, String connection) {
        try {
            return verifier.verifiedClaims(token);
        } catch (TokenRejected rejected) {
            throw unauthenticated(protocol, rejected, connection);
        }
    }

    /** The access of a principal whose claims were verified earlier on this connection. */
    public Access access(IngressProtocol protocol, String verifiedClaims) {
        try {
            return new Access(this, protocol, TokenClaims.principal(JWTClaimsSet.parse(verifiedClaims)));
        } catch (TokenRejected | ParseException e) {
            throw new IllegalStateException("claims verified at connect no longer parse: " + e.getMessage(), e);
        }
    }

    /**
     * The access of a request that carries no credentials of its own: open with auth off, refused
     * (as unauthenticated) on every publish and subscribe with auth on, so that a path that forgot
     * to authenticate fails closed.
     */
    public Access anonymous(IngressProtocol protocol) {
        return verifier == null ? Access.open() : new Access(this, protocol, null);
    }

    private MeshPrincipal principal(IngressProtocol protocol, String token, String connection) {
        try {
            return verifier.verify(token);
        } catch (TokenRejected rejected) {
            throw unauthenticated(protocol, rejected, connection);
        }
    }

    private Refusal unauthenticated(IngressProtocol protocol, TokenRejected rejected, String connection) {
        count(protocol, rejected.reason().tag());
        LOG.info("region {}: {} client {} not authenticated ({}): {}", region, protocol.tag(), connection,
                rejected.reason().tag(), rejected.getMessage());
        return new Refusal(ClientError.UNAUTHENTICATED, "authorization", rejected.getMessage());
    }

    /** Counts and logs a refusal of an authenticated (or anonymous) client; returns it for throwing. */
    Refusal notAuthorized(IngressProtocol protocol, String principal, String action, String topic, String field) {
        String reason = action.split(" ")[0] + "_not_allowed";
        count(protocol, reason);
        LOG.info("region {}: {} principal {} may not {} '{}'", region, protocol.tag(), principal, action, topic);
        return new Refusal(ClientError.NOT_AUTHORIZED, field, "principal " + principal + " may not " + action + " '" + topic + "'");
    }

    Refusal expired(IngressProtocol protocol, String principal, boolean certified) {
        count(protocol, certified ? EXPIRED_CERTIFICATE : TokenRejected.Reason.EXPIRED.tag());
        LOG.info("region {}: {} principal {}: {} expired during the connection", region, protocol.tag(), principal,
                credential(certified));
        return expiredRefusal(certified);
    }

    /** Counts and logs a connection ended because its token (or client certificate) expired; returns the refusal its client is told. */
    Refusal expiredConnection(IngressProtocol protocol, String principal, String connection, boolean certified) {
        count(protocol, certified ? EXPIRED_CERTIFICATE : EXPIRED_CONNECTION);
        LOG.info("region {}: {} connection {} of principal {} ended: its {} expired", region, protocol.tag(), connection,
                principal, credential(certified));
        return expiredRefusal(certified);
    }

    private static String credential(boolean certified) {
        return certified ? "client certificate" : "token";
    }

    private static Refusal expiredRefusal(boolean certified) {
        return new Refusal(ClientError.TOKEN_EXPIRED, "authorization", certified
                ? "the client certificate has expired; reconnect with a renewed one"
                : "the token has expired; reconnect with a new one");
    }

    /** The live subscriptions of this edge's principals, re-checked whenever a principal's ACL entries change. */
    SubscriptionGrants grants() {
        return grants;
    }

    /** Counts and logs a live subscription cut because an ACL change no longer allows it; returns what its client is told. */
    Refusal revoked(IngressProtocol protocol, String principal, String connection, TopicPattern pattern) {
        count(protocol, REVOKED_SUBSCRIPTION);
        LOG.info("region {}: {} subscription '{}' of principal {} on {} cut: an ACL change no longer allows it", region,
                protocol.tag(), pattern.value(), principal, connection);
        return new Refusal(ClientError.NOT_AUTHORIZED, "topic_pattern", "principal " + principal
                + " may no longer subscribe to '" + pattern.value() + "' (an ACL entry changed); the subscription has ended");
    }

    /**
     * Counts events that were queued for a subscription when it was cut and are dropped (never
     * delivered): {@code mesh.edge.auth.revoked.dropped{region,protocol}}, and, if {@code log}, one INFO line.
     */
    void droppedAtCut(IngressProtocol protocol, String connection, String pattern, long events, boolean log) {
        if (events <= 0) {
            return;
        }
        droppedAtCut.computeIfAbsent(protocol.tag(), tag -> Counter.builder("mesh.edge.auth.revoked.dropped")
                .description("Events queued for a subscription an ACL change cut, dropped instead of delivered")
                .tags("region", region, "protocol", tag)
                .register(MeshMetrics.registry())).increment(events);
        if (log) {
            LOG.info("region {}: {} {}: dropped {} events queued for the cut subscription '{}'", region, protocol.tag(), connection,
                    events, pattern);
        }
    }

    /** How long after {@code exp} a token is still accepted. */
    Duration clockSkew() {
        return clockSkew;
    }

    Refusal anonymousRefused(IngressProtocol protocol, String action, String topic) {
        count(protocol, TokenRejected.Reason.MISSING.tag());
        LOG.info("region {}: {} client without credentials may not {} '{}'", region, protocol.tag(), action, topic);
        return new Refusal(ClientError.UNAUTHENTICATED, "authorization", "no bearer token was presented");
    }

    /** Counts a refused attempt a protocol answered on its own (e.g. an MQTT user name that is not the token's principal). */
    public void count(IngressProtocol protocol, String reason) {
        refused.computeIfAbsent(protocol.tag() + '/' + reason, key -> Counter.builder("mesh.edge.auth.refused")
                .description("Attempts the edge refused for authentication or authorisation, by protocol and reason")
                .tags("region", region, "protocol", protocol.tag(), "reason", reason.toLowerCase(Locale.ROOT))
                .register(MeshMetrics.registry())).increment();
    }

    /** The region, for logs of the protocols. */
    public String region() {
        return region;
    }
}
