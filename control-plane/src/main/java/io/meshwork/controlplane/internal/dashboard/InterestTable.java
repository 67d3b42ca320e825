package io.meshwork.controlplane.internal.dashboard;

import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One region's {@code mesh.interest} as the router reads it: the (pattern, selector) entries of
 * every holder (an edge, or a routing rule {@code rule-<id>}) whose lease has not run out.
 * Edges write one entry per (pattern, selector) however many of their clients subscribe, so the
 * count shown is of holders, not of client connections. Not thread-safe: the caller locks.
 */
final class InterestTable {

    private final Map<InterestKey, Boolean> entries = new HashMap<>();
    private final Map<String, EdgeLease> leases = new HashMap<>();

    /** Applies one record of {@code mesh.interest}; {@code value == null} is a tombstone. Unreadable records are skipped. */
    void apply(String key, byte[] value) {
        InterestKey decoded;
        try {
            decoded = InterestKey.decode(key);
        } catch (IllegalArgumentException e) {
            return; // the router reports unreadable interest; the dashboard only shows what it can read
        }
        if (decoded.isLease()) {
            if (value == null) {
                leases.remove(decoded.edgeId());
            } else {
                try {
                    leases.put(decoded.edgeId(), EdgeLease.decode(value));
                } catch (IllegalArgumentException e) {
                    leases.remove(decoded.edgeId());
                }
            }
        } else if (value == null) {
            entries.remove(decoded);
        } else {
            entries.put(decoded, Boolean.TRUE);
        }
    }

    /**
     * The live entries at {@code nowMs}, one row per (pattern, selector) sorted by pattern:
     * {@code pattern}, {@code selector}, {@code holders} (names) and {@code holderCount}.
     */
    List<Map<String, Object>> view(long nowMs) {
        Map<String, Map<String, TreeSet<String>>> byPattern = new TreeMap<>();
        entries.keySet().forEach(key -> {
            EdgeLease lease = leases.get(key.edgeId());
            if (lease != null && !lease.isExpired(nowMs)) {
                byPattern.computeIfAbsent(key.pattern(), p -> new TreeMap<>())
                        .computeIfAbsent(key.selector(), s -> new TreeSet<>()).add(key.edgeId());
            }
        });
        List<Map<String, Object>> rows = new ArrayList<>();
        byPattern.forEach((pattern, selectors) -> selectors.forEach((selector, holders) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("pattern", pattern);
            row.put("selector", selector);
            row.put("holders", List.copyOf(holders));
            row.put("holderCount", holders.size());
            rows.add(row);
        }));
        return rows;
    }
}
