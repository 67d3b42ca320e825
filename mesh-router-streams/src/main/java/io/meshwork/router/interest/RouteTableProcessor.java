package io.meshwork.router.interest;

import io.meshwork.core.interest.LinkState;
import io.meshwork.core.interest.RouteAdvert;
import io.meshwork.router.routing.RoutingTable;

import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the whole mesh's advertised interest: the global store over this region's
 * {@code mesh.routes} (own and flooded adverts), and the {@link RemoteInterest} index built from
 * it. Rebuilds the index from the store when it starts, so a restarted router has every
 * region's interest before it routes a single event.
 */
public final class RouteTableProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTableProcessor.class);

    private final String region;
    private final String storeName;
    private final RemoteInterest interest;
    private final RoutingTable routes;
    private final Set<String> gaugedOrigins = new HashSet<>();
    private KeyValueStore<String, byte[]> store;

    public RouteTableProcessor(String region, String storeName, RemoteInterest interest, RoutingTable routes) {
        this.region = region;
        this.storeName = storeName;
        this.interest = interest;
        this.routes = routes;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> entry = all.next();
                if (entry.key.startsWith(LinkState.KEY_PREFIX)) {
                    applyLinkState(entry.value);
                    continue;
                }
                if (!RouteAdvert.isAdvertKey(entry.key)) {
                    continue;
                }
                RouteAdvert advert = RouteAdvert.decode(entry.value);
                if (!advert.origin().equals(region)) {
                    interest.apply(advert);
                    gauge(advert.origin());
                }
            }
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (record.key() != null && record.key().startsWith(LinkState.KEY_PREFIX)) {
            if (isNewerLinkState(record)) {
                store.put(record.key(), record.value()); // a stale record must not win the replay after a restart
                applyLinkState(record.value());
            }
            return;
        }
        if (!RouteAdvert.isAdvertKey(record.key())) {
            return;
        }
        RouteAdvert advert;
        try {
            advert = RouteAdvert.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring malformed route advert {}: {}", region, record.key(), e.getMessage());
            return;
        }
        byte[] current = store.get(advert.key());
        if (current != null && !advert.isNewerThan(RouteAdvert.decode(current))) {
            return;
        }
        store.put(advert.key(), record.value());
        if (advert.origin().equals(region)) {
            return;
        }
        if (!interest.apply(advert)) {
            LOG.warn("region {}: ignoring advert from {} with invalid pattern '{}'", region, advert.origin(), advert.pattern());
            return;
        }
        gauge(advert.origin());
        Duration took = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - advert.advertisedAtMs()));
        Timer.builder("mesh.interest.propagation")
                .description("Time from a region advertising or withdrawing interest to this router applying it")
                .tags("region", region, "origin", advert.origin())
                .register(MeshMetrics.registry())
                .record(took);
        LOG.info("region {}: interest of {} in '{}' {} after {} ms", region, advert.origin(), advert.pattern(),
                advert.active() ? "active" : "withdrawn", took.toMillis());
    }

    private boolean isNewerLinkState(Record<String, byte[]> record) {
        try {
            LinkState incoming = LinkState.decode(record.value());
            byte[] known = store.get(record.key());
            return known == null || LinkState.decode(known).seq() < incoming.seq();
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring malformed link state {}: {}", region, record.key(), e.getMessage());
            return false;
        }
    }

    private void applyLinkState(byte[] value) {
        try {
            routes.apply(LinkState.decode(value));
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring malformed link state: {}", region, e.getMessage());
        }
    }

    private void gauge(String origin) {
        if (gaugedOrigins.add(origin)) {
            Gauge.builder("mesh.interest.entries", interest, i -> i.patternCount(origin))
                    .description("Topic patterns a region advertises, as this router knows them")
                    .tags("region", region, "origin", origin)
                    .register(MeshMetrics.registry());
        }
    }
}
