package io.meshwork.core.interest;

import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A router's view of its own links, flooded to every region on {@code mesh.routes} (newest
 * sequence number per origin wins). It doubles as the heartbeat: a router that receives a
 * neighbour's record straight over their link knows the link carries traffic.
 *
 * @param origin   region whose links these are
 * @param seq      origin's sequence number; higher wins
 * @param sentAtMs when the origin issued the record
 * @param links    neighbour → whether the origin currently hears it
 * @param rttMs    neighbour → the link's round-trip time as measured by the origin's end of it
 *                 (absent until measured)
 * @param received neighbour → partition → the highest offset of the neighbour's spool towards the
 *                 origin ({@code mesh.link.<origin>}) the origin's router has processed: how far
 *                 that spool has drained
 * @param nextHops destination region → the neighbour the origin's router currently sends its
 *                 traffic through (what operators see in {@code /v1/topology})
 */
public record LinkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links, Map<String, Long> rttMs,
                        Map<String, Map<Integer, Long>> received, Map<String, String> nextHops) implements ControlRecord {

    /** Keys of link-state records on {@code mesh.routes} start with this. */
    public static final String KEY_PREFIX = "ls|";

    public LinkState {
        Objects.requireNonNull(origin, "origin");
        links = Map.copyOf(links);
        rttMs = Map.copyOf(rttMs);
        TreeMap<String, Map<Integer, Long>> copy = new TreeMap<>();
        received.forEach((neighbour, partitions) -> copy.put(neighbour, Map.copyOf(partitions)));
        received = Map.copyOf(copy);
        nextHops = Map.copyOf(nextHops);
    }

    /** A link state without measurements or routes. */
    public LinkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links) {
        this(origin, seq, sentAtMs, links, Map.of(), Map.of(), Map.of());
    }

    /** A link state without routes. */
    public LinkState(String origin, long seq, long sentAtMs, Map<String, Boolean> links, Map<String, Long> rttMs,
                     Map<String, Map<Integer, Long>> received) {
        this(origin, seq, sentAtMs, links, rttMs, received, Map.of());
    }

    @Override
    public String key() {
        return KEY_PREFIX + origin;
    }

    /** The origin: only it reports on its links. */
    @Override
    public String issuer() {
        return origin;
    }

    /** Whether the origin hears {@code neighbour}; true when it does not report on it. */
    public boolean hears(String neighbour) {
        return links.getOrDefault(neighbour, true);
    }

    /** The measured round-trip time of the link to {@code neighbour}, if the origin measured it. */
    public OptionalLong rttTo(String neighbour) {
        Long rtt = rttMs.get(neighbour);
        return rtt == null ? OptionalLong.empty() : OptionalLong.of(rtt);
    }

    /** How far the origin has processed {@code neighbour}'s spool towards it, per partition (empty if unknown). */
    public Map<Integer, Long> receivedFrom(String neighbour) {
        return received.getOrDefault(neighbour, Map.of());
    }

    /** Same links, states and costs (sequence, time and progress aside): nothing to recompute. */
    public boolean sameTopologyAs(LinkState other) {
        return other != null && links.equals(other.links) && rttMs.equals(other.rttMs);
    }
}
