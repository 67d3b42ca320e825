package io.meshwork.embedded.wan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All WAN links of a mesh, keyed by their (from, to) regions. Cutting or healing acts on the
 * pair of regions, i.e. on both directed links between them, as a real WAN outage would.
 * Thread-safe.
 */
public final class WanEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WanEmulator.class);

    private record Key(String from, String to) {
    }

    private final Map<Key, WanLink> links = new ConcurrentHashMap<>();

    /**
     * Opens the directed link {@code from -> to}; see {@link WanLink#open}.
     *
     * @throws IllegalArgumentException if that link is already open
     */
    public synchronized WanLink open(String from, String to, Duration rtt) {
        Key key = new Key(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
        if (links.containsKey(key)) {
            throw new IllegalArgumentException("WAN link " + from + "->" + to + " is already open");
        }
        WanLink link = WanLink.open(from, to, rtt);
        links.put(key, link);
        return link;
    }

    /**
     * The directed link {@code from -> to}.
     *
     * @throws IllegalArgumentException if there is no such link
     */
    public WanLink link(String from, String to) {
        WanLink link = links.get(new Key(from, to));
        if (link == null) {
            throw new IllegalArgumentException("no WAN link " + from + "->" + to + "; links: " + names());
        }
        return link;
    }

    /**
     * Cuts the links {@code a -> b} and {@code b -> a} (whichever are open).
     *
     * @throws IllegalArgumentException if there is no link between the two regions
     */
    public void cut(String a, String b) {
        List<WanLink> pair = pair(a, b);
        pair.forEach(WanLink::cut);
        LOG.info("WAN between {} and {} cut", a, b);
    }

    /**
     * Heals the links {@code a -> b} and {@code b -> a} (whichever are open).
     *
     * @throws IllegalArgumentException if there is no link between the two regions
     */
    public void heal(String a, String b) {
        List<WanLink> pair = pair(a, b);
        pair.forEach(WanLink::heal);
        LOG.info("WAN between {} and {} healed", a, b);
    }

    /** Every open link, in no particular order. */
    public Collection<WanLink> links() {
        return List.copyOf(links.values());
    }

    /** Closes every link. Idempotent. */
    @Override
    public void close() {
        links.values().forEach(WanLink::close);
    }

    private List<WanLink> pair(String a, String b) {
        List<WanLink> pair = new ArrayList<>(2);
        WanLink forward = links.get(new Key(a, b));
        WanLink backward = links.get(new Key(b, a));
        if (forward != null) {
            pair.add(forward);
        }
        if (backward != null) {
            pair.add(backward);
        }
        if (pair.isEmpty()) {
            throw new IllegalArgumentException("no WAN link between " + a + " and " + b + "; links: " + names());
        }
        return pair;
    }

    private List<String> names() {
        return links.keySet().stream().map(k -> k.from() + "->" + k.to()).sorted().toList();
    }
}
