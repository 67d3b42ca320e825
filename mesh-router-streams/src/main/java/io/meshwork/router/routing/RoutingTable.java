package io.meshwork.router.routing;

import io.meshwork.core.interest.LinkState;
import io.meshwork.topology.Link;
import io.meshwork.topology.NextHops;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This router's next hops, recomputed (Dijkstra) whenever a region's link state changes: a link
 * is left out while either end reports it down, and costs a link its measured round-trip time
 * (the mean of what both ends measured) once it differs markedly from the cost in use, its
 * configured RTT until then. "Markedly" is more than {@link #COST_HYSTERESIS_FRACTION} and more
 * than {@link #COST_HYSTERESIS_MIN}: the seed's paths to ap-southeast-1 differ by 10 ms (180 ms
 * direct, 70 + 120 ms through eu-west-1), and a busy host or a reconnecting probe easily adds
 * tens of milliseconds, so smaller moves would flip routes back and forth for nothing; a link
 * that really degrades (or improves) by half is taken into account. Written by the global-store thread, read by the stream
 * threads and the spool rescuer.
 */
public final class RoutingTable {

    /** A measured cost must move by this fraction of the cost in use to replace it... */
    static final double COST_HYSTERESIS_FRACTION = 0.5;
    /** ...and by at least this much. */
    static final Duration COST_HYSTERESIS_MIN = Duration.ofMillis(50);

    private static final Logger LOG = LoggerFactory.getLogger(RoutingTable.class);

    private final String region;
    private final List<Link> links;
    private final Map<String, LinkState> states = new ConcurrentHashMap<>();
    private final Map<Link, Duration> costInUse = new HashMap<>();
    private final NextHops allLinksUp;
    private volatile NextHops current;
    private volatile long version;

    public RoutingTable(String region, List<Link> links) {
        this.region = region;
        this.links = List.copyOf(links);
        this.links.forEach(link -> costInUse.put(link, link.rtt()));
        this.allLinksUp = NextHops.compute(region, this.links);
        this.current = allLinksUp;
    }

    /** The next hops in force. */
    public NextHops current() {
        return current;
    }

    /** Increases every time the next hops change. */
    public long version() {
        return version;
    }

    /**
     * Where to send traffic for {@code destination} that no path currently reaches: the hop it
     * would take with every link up. Its link topic is the spool; the events drain, in order,
     * once the link carries traffic again.
     */
    public Optional<String> spoolTowards(String destination) {
        return allLinksUp.towards(destination);
    }

    /** Whether the link between this region and {@code neighbour} is up as far as either end reports. */
    public boolean linkUp(String neighbour) {
        return links.stream().filter(link -> link.joins(region, neighbour)).anyMatch(this::isUp);
    }

    /** The latest link state {@code origin} flooded, if any reached this router. */
    public Optional<LinkState> stateOf(String origin) {
        return Optional.ofNullable(states.get(origin));
    }

    /** The cost Dijkstra currently gives the link between this region and {@code neighbour}. */
    public synchronized Optional<Duration> costTo(String neighbour) {
        return links.stream().filter(link -> link.joins(region, neighbour)).findFirst().map(costInUse::get);
    }

    /** Takes a region's link state into account if it is newer than the one known. */
    public synchronized void apply(LinkState state) {
        LinkState known = states.get(state.origin());
        if (known != null && known.seq() >= state.seq()) {
            return;
        }
        states.put(state.origin(), state);
        if (!state.sameTopologyAs(known)) {
            recompute();
        }
    }

    private void recompute() {
        links.forEach(this::updateCost);
        List<Link> usable = links.stream().filter(this::isUp).map(link -> new Link(link.a(), link.b(), costInUse.get(link))).toList();
        NextHops next = NextHops.compute(region, usable);
        if (!next.next().equals(current.next())) {
            LOG.warn("region {}: next hops now {} (links in use: {})", region, next.next(),
                    usable.stream().map(l -> l.a() + "<->" + l.b() + " " + l.rtt().toMillis() + " ms").toList());
            version++;
        }
        current = next;
    }

    private void updateCost(Link link) {
        OptionalLong measured = measured(link);
        if (measured.isEmpty()) {
            return;
        }
        Duration inUse = costInUse.get(link);
        long delta = Math.abs(measured.getAsLong() - inUse.toMillis());
        if (delta > COST_HYSTERESIS_MIN.toMillis() && delta > inUse.toMillis() * COST_HYSTERESIS_FRACTION) {
            LOG.info("region {}: link {}<->{} costs {} ms as measured (was {} ms)", region, link.a(), link.b(),
                    measured.getAsLong(), inUse.toMillis());
            costInUse.put(link, Duration.ofMillis(Math.max(1, measured.getAsLong())));
        }
    }

    private OptionalLong measured(Link link) {
        OptionalLong fromA = stateOf(link.a()).map(s -> s.rttTo(link.b())).orElse(OptionalLong.empty());
        OptionalLong fromB = stateOf(link.b()).map(s -> s.rttTo(link.a())).orElse(OptionalLong.empty());
        if (fromA.isPresent() && fromB.isPresent()) {
            return OptionalLong.of((fromA.getAsLong() + fromB.getAsLong()) / 2);
        }
        return fromA.isPresent() ? fromA : fromB;
    }

    private boolean isUp(Link link) {
        LinkState a = states.get(link.a());
        LinkState b = states.get(link.b());
        return (a == null || a.hears(link.b())) && (b == null || b.hears(link.a()));
    }
}
