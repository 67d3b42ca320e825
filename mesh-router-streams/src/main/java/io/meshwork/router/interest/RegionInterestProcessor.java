package io.meshwork.router.interest;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.RouteAdvert;

import io.meshwork.core.interest.EdgeLease;
import io.meshwork.core.interest.InterestKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns this region's edge subscriptions ({@code mesh.interest}) into the region's advertised
 * interest ({@code mesh.routes}).
 *
 * <p>A (pattern, selector) is advertised while at least one edge with an unexpired lease holds
 * it, and withdrawn when the last such edge unsubscribes, disconnects or stops renewing its
 * lease. Edges whose lease ran out are tombstoned on {@code mesh.interest} so the topic does not
 * keep dead entries. Both the raw entries and what was advertised live in state stores, so a
 * restarted router picks up exactly where it stopped.
 */
public final class RegionInterestProcessor implements Processor<String, byte[], String, byte[]> {

    /** Child receiving adverts (sink to {@code mesh.routes}). */
    public static final String ADVERTS = "adverts";
    /** Child receiving tombstones for dead edges (sink to {@code mesh.interest}). */
    public static final String CLEANUP = "interest-cleanup";

    private static final Logger LOG = LoggerFactory.getLogger(RegionInterestProcessor.class);

    private final String region;
    private final String entriesStoreName;
    private final String advertisedStoreName;
    private final Duration leaseCheckInterval;

    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> entries;
    private KeyValueStore<String, byte[]> advertised;
    private final Map<String, EdgeLease> leases = new HashMap<>();
    private final Map<String, Set<Wish>> wishesByEdge = new HashMap<>();
    private final Map<Wish, Set<String>> holders = new HashMap<>();
    private final Set<String> deadEdges = new HashSet<>();
    private long lastSeq;
    private boolean reconciledAfterStart;

    /** A (pattern, selector) some edge holds. */
    private record Wish(String pattern, String selector) {
    }

    public RegionInterestProcessor(String region, String entriesStoreName, String advertisedStoreName, Duration leaseCheckInterval) {
        this.region = region;
        this.entriesStoreName = entriesStoreName;
        this.advertisedStoreName = advertisedStoreName;
        this.leaseCheckInterval = leaseCheckInterval;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.entries = context.getStateStore(entriesStoreName);
        this.advertised = context.getStateStore(advertisedStoreName);
        try (KeyValueIterator<String, byte[]> all = entries.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                remember(InterestKey.decode(entry.key), entry.value);
            }
        }
        try (KeyValueIterator<String, byte[]> all = advertised.all()) {
            while (all.hasNext()) {
                lastSeq = Math.max(lastSeq, ControlCodec.decode(all.next().value, RouteAdvert.class).seq());
            }
        }
        context.schedule(leaseCheckInterval, PunctuationType.WALL_CLOCK_TIME, this::checkLeases);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        InterestKey key;
        try {
            key = InterestKey.decode(record.key());
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring record on mesh.interest: {}", region, e.getMessage());
            return;
        }
        try {
            if (record.value() == null) {
                entries.delete(record.key());
            } else {
                entries.put(record.key(), record.value());
            }
            Collection<Wish> affected = remember(key, record.value());
            reconcile(affected, context.currentSystemTimeMs());
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring record {} on mesh.interest: {}", region, record.key(), e.getMessage());
        }
    }

    /** Updates the in-memory view for one record; returns the wishes whose liveness may have changed. */
    private Collection<Wish> remember(InterestKey key, byte[] value) {
        String edge = key.edgeId();
        if (key.isLease()) {
            if (value == null) {
                leases.remove(edge);
            } else {
                leases.put(edge, EdgeLease.decode(value));
                deadEdges.remove(edge);
            }
            return List.copyOf(wishesByEdge.getOrDefault(edge, Set.of()));
        }
        Wish wish = new Wish(key.pattern(), key.selector());
        if (value == null) {
            Set<String> edges = holders.get(wish);
            if (edges != null && edges.remove(edge) && edges.isEmpty()) {
                holders.remove(wish);
            }
            Set<Wish> wishes = wishesByEdge.get(edge);
            if (wishes != null && wishes.remove(wish) && wishes.isEmpty()) {
                wishesByEdge.remove(edge);
            }
        } else {
            holders.computeIfAbsent(wish, w -> new HashSet<>()).add(edge);
            wishesByEdge.computeIfAbsent(edge, e -> new HashSet<>()).add(wish);
        }
        return List.of(wish);
    }

    private boolean isLive(Wish wish, long nowMs) {
        for (String edge : holders.getOrDefault(wish, Set.of())) {
            EdgeLease lease = leases.get(edge);
            if (lease != null && !lease.isExpired(nowMs)) {
                return true;
            }
        }
        return false;
    }

    private void reconcile(Collection<Wish> wishes, long nowMs) {
        for (Wish wish : wishes) {
            String key = RouteAdvert.key(region, wish.pattern(), wish.selector());
            byte[] stored = advertised.get(key);
            boolean advertisedActive = stored != null && ControlCodec.decode(stored, RouteAdvert.class).active();
            boolean live = isLive(wish, nowMs);
            // An advert a previous release wrote (control protocol version 1) is issued again in
            // the current version, so that no version 1 record outlives the upgrade.
            boolean legacy = stored != null && ControlCodec.isVersion1(stored);
            if (live != advertisedActive || legacy) {
                RouteAdvert advert = new RouteAdvert(region, wish.pattern(), wish.selector(), nextSeq(nowMs), live, nowMs);
                byte[] encoded = ControlCodec.encode(advert);
                advertised.put(key, encoded);
                context.forward(new Record<>(key, encoded, nowMs), ADVERTS);
                LOG.info("region {}: {} interest in '{}'{}", region, live ? "advertising" : "withdrawing", wish.pattern(),
                        live == advertisedActive ? " again in control protocol version " + ControlCodec.VERSION : "");
            }
        }
    }

    // Epoch-based so that the sequence keeps rising even if the advertised store were lost.
    private long nextSeq(long nowMs) {
        lastSeq = Math.max(lastSeq + 1, nowMs * 1000);
        return lastSeq;
    }

    private void checkLeases(long nowMs) {
        if (!reconciledAfterStart) {
            reconciledAfterStart = true;
            Set<Wish> everything = new LinkedHashSet<>(holders.keySet());
            try (KeyValueIterator<String, byte[]> all = advertised.all()) {
                while (all.hasNext()) {
                    RouteAdvert advert = ControlCodec.decode(all.next().value, RouteAdvert.class);
                    everything.add(new Wish(advert.pattern(), advert.selector()));
                }
            }
            reconcile(everything, nowMs);
        }
        List<String> expired = new ArrayList<>();
        leases.forEach((edge, lease) -> {
            if (lease.isExpired(nowMs) && deadEdges.add(edge)) {
                expired.add(edge);
            }
        });
        for (String edge : expired) {
            Set<Wish> wishes = Set.copyOf(wishesByEdge.getOrDefault(edge, Set.of()));
            LOG.info("region {}: edge {} stopped renewing its lease; dropping its {} subscriptions", region, edge, wishes.size());
            reconcile(wishes, nowMs);
            for (Wish wish : wishes) {
                context.forward(new Record<>(InterestKey.subscription(edge, wish.pattern(), wish.selector()).encode(),
                        (byte[]) null, nowMs), CLEANUP);
            }
            context.forward(new Record<>(InterestKey.lease(edge).encode(), (byte[]) null, nowMs), CLEANUP);
        }
    }
}
