package io.meshwork.router.routing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this router has processed each neighbour's spool towards it: per neighbour and
 * partition, the highest spool offset ({@code mesh_link_offset}, stamped by the link) of an
 * arrival processed. The router reports it in its link state, so a neighbour whose link to here
 * goes down knows from which offset its spool holds events this region has not seen (and
 * re-sends them along another path), and how long that spool is. Kept in memory: after a
 * restart the neighbour falls back to a fixed look-back.
 */
public final class ArrivalProgress {

    private final Map<String, Map<Integer, Long>> newest = new ConcurrentHashMap<>();

    /** The arrival at {@code offset} of {@code neighbour}'s spool partition {@code partition} was processed. */
    void processed(String neighbour, int partition, long offset) {
        newest.computeIfAbsent(neighbour, n -> new ConcurrentHashMap<>()).merge(partition, offset, Math::max);
    }

    /** A copy: neighbour → partition → highest spool offset processed. */
    public Map<String, Map<Integer, Long>> snapshot() {
        Map<String, Map<Integer, Long>> copy = new TreeMap<>();
        newest.forEach((neighbour, partitions) -> copy.put(neighbour, new TreeMap<>(partitions)));
        return copy;
    }
}
