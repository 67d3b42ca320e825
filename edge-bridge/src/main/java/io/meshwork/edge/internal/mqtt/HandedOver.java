package io.meshwork.edge.internal.mqtt;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The events this edge handed to its MQTT broker most recently, by CloudEvents identity (source
 * and id), so that the same event is never handed over twice: HiveMQ would deliver a second copy
 * as a new message, and a QoS 2 subscriber would receive it twice. Copies that crossed regions
 * are already deduplicated by the routers' dedup ledger; this catches what reaches one edge's
 * delivery twice (a re-read of {@code mesh.events}, a publisher that wrote the same event twice).
 *
 * <p>Bounded by count ({@link #DEFAULT_CAPACITY} events, oldest forgotten first), not by time,
 * so its memory is fixed whatever the rate. Used from the one delivery thread only.
 */
final class HandedOver {

    /** About 3 s of events at 5,000 events/s, a few MiB at most. */
    static final int DEFAULT_CAPACITY = 16_384;

    private final Map<String, Boolean> recent;

    HandedOver(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records the event; {@code false} if it was handed over already and must not be again. */
    boolean first(String source, String id) {
        // A newline cannot occur in a URI-reference source, so the key is unambiguous.
        return recent.putIfAbsent(source + '\n' + id, Boolean.TRUE) == null;
    }
}
