package io.meshwork.router.routing;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The seed's deduplication ledger: which events (by origin and id) arrived in this region within
 * the window (default 15 minutes). Kept in a RocksDB window store with a changelog, so it costs
 * no heap as traffic grows and survives a router restart; entries age out with the window.
 */
final class DedupLedger {

    private final WindowStore<String, Long> store;
    private final Duration window;

    DedupLedger(WindowStore<String, Long> store, Duration window) {
        this.store = store;
        this.window = window;
    }

    static String key(String origin, String eventId) {
        return origin + "|" + eventId;
    }

    /**
     * Records the arrival of {@code key} at {@code now}; returns false if it already arrived
     * within the window (a duplicate).
     */
    boolean firstArrival(String key, long now) {
        try (WindowStoreIterator<Long> seen = store.fetch(key, Instant.ofEpochMilli(now - window.toMillis()), Instant.ofEpochMilli(now))) {
            if (seen.hasNext()) {
                return false;
            }
        }
        store.put(key, now, now);
        return true;
    }
}
