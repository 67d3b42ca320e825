package io.meshwork.core.auth;

import io.meshwork.core.topic.TopicPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The control plane's ACL entries as one process knows them (an edge follows {@code mesh.acls}
 * into it), answering each principal's permissions from them. A principal's effective permissions
 * are its token's claims joined with these ({@link #effective}): allow lists and deny lists are
 * each concatenated, so a deny from either side wins over an allow from either side, and a
 * subscription pattern still needs one allow filter that covers it whole.
 */
public final class AclTable {

    private final Map<UUID, AclEntry> entries = new ConcurrentHashMap<>();
    // Rebuilt for a principal whenever one of its entries changes: checks read it on every publish.
    private final Map<String, Permissions> byPrincipal = new ConcurrentHashMap<>();
    private volatile Consumer<String> onChange = principal -> { };

    /**
     * Tells {@code listener} the name of each principal whose entries changed, after the change, on
     * the thread that changed them (an edge re-checks that principal's granted subscriptions).
     */
    public void onChange(Consumer<String> listener) {
        this.onChange = Objects.requireNonNull(listener, "listener");
    }

    /** Adds or replaces an entry. */
    public void put(AclEntry entry) {
        AclEntry old;
        synchronized (this) {
            old = entries.put(entry.id(), entry);
            if (old != null && !old.principal().equals(entry.principal())) {
                rebuild(old.principal());
            }
            rebuild(entry.principal());
        }
        if (old != null && !old.principal().equals(entry.principal())) {
            onChange.accept(old.principal());
        }
        onChange.accept(entry.principal());
    }

    /** Removes an entry (a tombstone); unknown ids change nothing. */
    public void remove(UUID id) {
        AclEntry old;
        synchronized (this) {
            old = entries.remove(id);
            if (old != null) {
                rebuild(old.principal());
            }
        }
        if (old != null) {
            onChange.accept(old.principal());
        }
    }

    /** The permissions the entries give {@code principal} ({@link Permissions#NONE} without any). */
    public Permissions permissions(String principal) {
        return byPrincipal.getOrDefault(principal, Permissions.NONE);
    }

    /** The principal's token claims joined with its entries here. */
    public Permissions effective(MeshPrincipal principal) {
        Permissions entries = permissions(principal.name());
        return entries == Permissions.NONE ? principal.permissions() : principal.permissions().union(entries);
    }

    /** The number of entries held. */
    public int size() {
        return entries.size();
    }

    private void rebuild(String principal) {
        List<TopicPattern> publishAllow = new ArrayList<>();
        List<TopicPattern> publishDeny = new ArrayList<>();
        List<TopicPattern> subscribeAllow = new ArrayList<>();
        List<TopicPattern> subscribeDeny = new ArrayList<>();
        for (AclEntry entry : entries.values()) {
            if (!entry.principal().equals(principal)) {
                continue;
            }
            boolean allow = entry.effect() == AclEntry.Effect.ALLOW;
            if (entry.action() == AclEntry.Action.PUBLISH) {
                (allow ? publishAllow : publishDeny).add(entry.filter());
            } else {
                (allow ? subscribeAllow : subscribeDeny).add(entry.filter());
            }
        }
        if (publishAllow.isEmpty() && publishDeny.isEmpty() && subscribeAllow.isEmpty() && subscribeDeny.isEmpty()) {
            byPrincipal.remove(principal);
        } else {
            byPrincipal.put(principal, new Permissions(publishAllow, publishDeny, subscribeAllow, subscribeDeny));
        }
    }
}
