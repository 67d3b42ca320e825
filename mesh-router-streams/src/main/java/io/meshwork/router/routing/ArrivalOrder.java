package io.meshwork.router.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers arrivals in their origin's order, whatever path each took. A reroute (events sent
 * along a detour while older ones wait in a cut link's spool, or a healed direct link
 * overtaking the detour) would otherwise reorder a key's events. Each origin numbers its events
 * towards this region per link partition ({@code mesh_seq}); an arrival whose predecessor
 * has not passed waits in a RocksDB store (with a changelog, so a restart keeps it) until the
 * predecessor arrives, or until it has waited {@code maxHold}: then the missing numbers are
 * taken as lost, counted, and delivery goes on.
 */
final class ArrivalOrder {

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalOrder.class);

    private final String region;
    private final KeyValueStore<String, Long> passed;
    private final KeyValueStore<String, byte[]> held;
    private final Duration maxHold;
    private final RouterMetrics metrics;

    /**
     * @param passed per stream ({@code <origin>|<partition>}), the highest number that passed
     * @param held   arrivals waiting, keyed {@code <origin>|<partition>|<number, zero-padded>}
     */
    ArrivalOrder(String region, KeyValueStore<String, Long> passed, KeyValueStore<String, byte[]> held, Duration maxHold,
                 RouterMetrics metrics) {
        this.region = region;
        this.passed = passed;
        this.held = held;
        this.maxHold = maxHold;
        this.metrics = metrics;
    }

    /**
     * An event for local delivery arrived with {@code number} in the stream of {@code origin} on
     * {@code partition}; hands it (and any arrivals it unblocks) to {@code deliver} in order, or
     * holds it.
     */
    void arrived(Record<String, byte[]> record, String origin, int partition, long number, long nowMs,
                 Consumer<Record<String, byte[]>> deliver) {
        pass(record, stream(origin, partition), number, nowMs, deliver, true);
    }

    /**
     * A duplicate arrived (the ledger dropped it): nothing to deliver, but its number must pass,
     * or the next event would wait for it. A publisher that re-sent an event id as a new
     * event produces exactly that.
     */
    void duplicate(Record<String, byte[]> record, String origin, int partition, long number, long nowMs,
                   Consumer<Record<String, byte[]>> deliver) {
        pass(record, stream(origin, partition), number, nowMs, deliver, false);
    }

    private void pass(Record<String, byte[]> record, String stream, long number, long nowMs,
                      Consumer<Record<String, byte[]>> deliver, boolean deliverIt) {
        // Origins number every stream from 1, and what passed is kept in a changelogged store, so
        // a stream never heard of starts at 0: its first arrival may have overtaken number 1.
        Long known = passed.get(stream);
        long last = known == null ? 0 : known;
        if (number > last + 1) {
            String key = heldKey(stream, number);
            if (!deliverIt && held.get(key) != null) {
                return; // a copy of an arrival already waiting
            }
            held.put(key, new HeldRecord(record, number, nowMs, deliverIt).encode());
            if (deliverIt) {
                metrics.heldForOrder();
            }
            LOG.debug("region {}: {} number {} waits for {}", region, stream, number, last + 1);
            return;
        }
        // Next in line, or one that was given up on earlier and arrives late (it is not a
        // duplicate: the ledger let it through).
        if (deliverIt) {
            deliver.accept(record);
        }
        passed.put(stream, Math.max(last, number));
        release(stream, deliver);
    }

    /** Gives up on numbers that did not come within {@code maxHold} and delivers what waited for them. */
    void expire(long nowMs, Consumer<Record<String, byte[]>> deliver) {
        Set<String> overdue = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        try (KeyValueIterator<String, byte[]> all = held.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                String stream = streamOf(entry.key);
                if (seen.add(stream) && HeldRecord.decode(entry.value).heldSinceMs() + maxHold.toMillis() <= nowMs) {
                    overdue.add(stream); // the lowest number of its stream waited too long
                }
            }
        }
        for (String stream : overdue) {
            long first = firstHeld(stream).number();
            Long known = passed.get(stream);
            long last = known == null ? 0 : known;
            metrics.orderGap();
            LOG.warn("region {}: stream {} waited {} s for numbers {}..{}; taking them as lost and delivering on",
                    region, stream, maxHold.toSeconds(), last + 1, first - 1);
            passed.put(stream, first - 1);
            release(stream, deliver);
        }
    }

    /** Delivers, in order, every held arrival of {@code stream} that is next in line. */
    private void release(String stream, Consumer<Record<String, byte[]>> deliver) {
        Long known = passed.get(stream);
        long last = known == null ? 0 : known;
        List<String> done = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> waiting = held.range(stream + "|", stream + "|~")) {
            while (waiting.hasNext()) {
                KeyValue<String, byte[]> entry = waiting.next();
                HeldRecord next = HeldRecord.decode(entry.value);
                if (next.number() > last + 1) {
                    break;
                }
                if (next.deliver()) {
                    deliver.accept(next.record());
                }
                last = Math.max(last, next.number());
                done.add(entry.key);
            }
        }
        done.forEach(held::delete);
        passed.put(stream, last);
    }

    private HeldRecord firstHeld(String stream) {
        try (KeyValueIterator<String, byte[]> waiting = held.range(stream + "|", stream + "|~")) {
            return HeldRecord.decode(waiting.next().value);
        }
    }

    private static String stream(String origin, int partition) {
        return origin + "|" + partition;
    }

    private static String heldKey(String stream, long number) {
        return stream + "|" + String.format("%020d", number);
    }

    private static String streamOf(String heldKey) {
        return heldKey.substring(0, heldKey.lastIndexOf('|'));
    }
}
