package io.meshwork.router.routing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far this region's routers have processed each neighbour's spool towards it: per neighbour
 * and partition, the highest spool offset ({@code mesh_link_offset}, stamped by the link) of an
 * arrival processed. The router reports it in its link state, so a neighbour whose link to here
 * goes down knows from which offset its spool holds events this region has not seen (and
 * re-sends them along another path), and how long that spool is.
 *
 * <p>The arrival tasks keep it in the changelogged store {@link #STORE}, in the transaction of
 * the arrivals they processed; every router instance mirrors that store's changelog here
 * ({@link ArrivalProgressFeed}), because the task that sends the link state is usually not the one
 * (nor on the instance) that processed a given arrival partition. So the link state reports
 * committed progress of every partition, whichever instance owns it.
 */
public final class ArrivalProgress {

    /** Key-value store of the arrival tasks: {@code <neighbour>|<partition>} → highest spool offset processed. */
    public static final String STORE = "arrival-progress";

    private final Map<String, Map<Integer, Long>> newest = new ConcurrentHashMap<>();

    /** The store key of {@code neighbour}'s spool partition {@code partition}. */
    static String key(String neighbour, int partition) {
        return neighbour + "|" + partition;
    }

    /**
     * Applies one entry of the {@link #STORE} store (as its changelog carries it); entries with a
     * key that is not {@code <neighbour>|<partition>} are ignored.
     */
    public void apply(String storeKey, long offset) {
        int bar = storeKey == null ? -1 : storeKey.lastIndexOf('|');
        if (bar <= 0) {
            return;
        }
        int partition;
        try {
            partition = Integer.parseInt(storeKey.substring(bar + 1));
        } catch (NumberFormatException e) {
            return;
        }
        newest.computeIfAbsent(storeKey.substring(0, bar), n -> new ConcurrentHashMap<>()).merge(partition, offset, Math::max);
    }

    /** A copy: neighbour → partition → highest spool offset processed. */
    public Map<String, Map<Integer, Long>> snapshot() {
        Map<String, Map<Integer, Long>> copy = new TreeMap<>();
        newest.forEach((neighbour, partitions) -> copy.put(neighbour, new TreeMap<>(partitions)));
        return copy;
    }
}
