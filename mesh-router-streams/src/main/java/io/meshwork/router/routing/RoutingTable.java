package io.meshwork.router.routing;

import io.meshwork.core.interest.LinkState;
import io.meshwork.topology.Link;
import io.meshwork.topology.NextHops;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This router's next hops, recomputed (Dijkstra over link RTTs) whenever a region's link state
 * changes: a link is left out while either end reports it down. Written by the global-store
 * thread, read by the stream thread for every event.
 */
public final class RoutingTable {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);

    private final String region;
    private final List<Link> links;
    private final Map<String, LinkState> states = new ConcurrentHashMap<>();
    private final NextHops allLinksUp;
    private volatile NextHops current;

    public RoutingTable(String region, List<Link> links) {
        this.region = region;
        this.links = List.copyOf(links);
        this.allLinksUp = NextHops.compute(region, this.links);
        this.current = allLinksUp;
    }

    /** The next hops in force. */
    public NextHops current() {
        return current;
    }

    /**
     * Where to send traffic for {@code destination} that no path currently reaches: the hop it
     * would take with every link up. Its link topic is the spool; the events drain, in order,
     * once the link carries traffic again.
     */
    public java.util.Optional<String> spoolTowards(String destination) {
        return allLinksUp.towards(destination);
    }

    /** Takes a region's link state into account if it is newer than the one known. */
    public synchronized void apply(LinkState state) {
        LinkState known = states.get(state.origin());
        if (known != null && known.seq() >= state.seq()) {
            return;
        }
        states.put(state.origin(), state);
        boolean changed = known == null || !known.links().equals(state.links());
        if (changed) {
            recompute();
        }
    }

    private void recompute() {
        List<Link> usable = links.stream().filter(this::isUp).toList();
        NextHops next = NextHops.compute(region, usable);
        if (!next.next().equals(current.next())) {
            LOG.warn("region {}: next hops now {} (links in use: {})", region, next.next(),
                    usable.stream().map(l -> l.a() + "<->" + l.b()).toList());
        }
        current = next;
    }

    private boolean isUp(Link link) {
        LinkState a = states.get(link.a());
        LinkState b = states.get(link.b());
        return (a == null || a.hears(link.b())) && (b == null || b.hears(link.a()));
    }
}
