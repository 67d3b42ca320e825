package io.meshwork.edge.internal.auth;

import io.meshwork.core.auth.MeshPrincipal;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live subscriptions of one edge's authenticated principals, so that an ACL change cuts what
 * it no longer allows: when a principal's entries change ({@link io.meshwork.core.auth.AclTable#onChange}),
 * each of its subscriptions is checked again by the rule of SUBSCRIBE
 * ({@link io.meshwork.core.auth.Permissions#maySubscribe}) and each refused one is ended through
 * its protocol's own answer. A subscription costs one entry here, never a thread; a check touches
 * only the changed principal's subscriptions.
 */
final class SubscriptionGrants {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionGrants.class);

    /** One granted subscription: who holds it, on which connection, and how its protocol ends it. */
    private record Grant(IngressProtocol protocol, MeshPrincipal principal, TopicPattern pattern, String connection,
                         Consumer<Refusal> cut, AtomicBoolean ended) {
    }

    private final EdgeAuth auth;
    private final Map<String, Set<Grant>> byPrincipal = new ConcurrentHashMap<>();

    SubscriptionGrants(EdgeAuth auth) {
        this.auth = auth;
    }

    /**
     * Holds a subscription just granted. It is checked once more at once: an ACL change that arrived
     * between the SUBSCRIBE's check and this call would otherwise be missed.
     */
    TokenExpiry.Watch hold(IngressProtocol protocol, MeshPrincipal principal, TopicPattern pattern, String connection,
                           Consumer<Refusal> cut) {
        Grant grant = new Grant(protocol, principal, pattern, connection, cut, new AtomicBoolean());
        byPrincipal.computeIfAbsent(principal.name(), name -> ConcurrentHashMap.newKeySet()).add(grant);
        recheck(grant);
        return () -> release(grant);
    }

    /** Checks every subscription of {@code principal} against its permissions now; ends the refused ones. */
    void recheck(String principal) {
        Set<Grant> grants = byPrincipal.get(principal);
        if (grants != null) {
            grants.forEach(this::recheck);
        }
    }

    /** Subscriptions held now, for tests and logs. */
    int size() {
        return byPrincipal.values().stream().mapToInt(Set::size).sum();
    }

    private void recheck(Grant grant) {
        if (grant.ended().get() || auth.permissions(grant.principal()).maySubscribe(grant.pattern())) {
            return;
        }
        if (!grant.ended().compareAndSet(false, true)) {
            return;
        }
        release(grant);
        Refusal refusal = auth.revoked(grant.protocol(), grant.principal().name(), grant.connection(), grant.pattern());
        try {
            grant.cut().accept(refusal);
        } catch (RuntimeException e) {
            LOG.warn("region {}: cutting the subscription '{}' of {} failed: {}", auth.region(), grant.pattern().value(),
                    grant.connection(), e.toString());
        }
    }

    private void release(Grant grant) {
        grant.ended().set(true);
        byPrincipal.computeIfPresent(grant.principal().name(), (name, grants) -> {
            grants.remove(grant);
            return grants.isEmpty() ? null : grants;
        });
    }
}
