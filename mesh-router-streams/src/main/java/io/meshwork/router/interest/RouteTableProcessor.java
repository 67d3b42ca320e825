package io.meshwork.router.interest;

import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.ControlRecord;
import io.meshwork.core.interest.InvalidControlRecordException;
import io.meshwork.core.interest.LinkState;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouterBeat;
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
                ControlRecord control = readable(entry.key, entry.value);
                if (control instanceof LinkState state) {
                    routes.apply(state);
                } else if (control instanceof RouteAdvert advert && !advert.origin().equals(region)) {
                    interest.apply(advert);
                    gauge(advert.origin());
                }
            }
        }
    }

    /**
     * Keeps the newest advert and link state per key (by the issuer's sequence number, so a stale
     * record cannot win the replay after a restart) and applies it; acknowledgements are for the
     * edges ({@code MeshActivation}), and beats for the neighbours' link liveness, not for routing.
     */
    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        ControlRecord control = readable(record.key(), record.value());
        if (control == null || control instanceof RouteAck || control instanceof RouterBeat) {
            return;
        }
        byte[] current = store.get(control.key());
        if (!control.supersedes(current == null ? null : readable(control.key(), current))) {
            return;
        }
        store.put(control.key(), record.value());
        if (control instanceof LinkState state) {
            routes.apply(state);
        } else {
            applyAdvert((RouteAdvert) control);
        }
    }

    private void applyAdvert(RouteAdvert advert) {
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

    /**
     * The record, or {@code null} when this release cannot read it. A global store's processor
     * cannot forward, so the record is skipped here; those that come from neighbours reach
     * {@code mesh.dlq} through the flood processor, which never passes them on.
     */
    private ControlRecord readable(String key, byte[] value) {
        try {
            return ControlCodec.decode(value);
        } catch (InvalidControlRecordException e) {
            LOG.warn("region {}: ignoring unreadable control record {} on mesh.routes ({}: {})", region, key, e.field(), e.getMessage());
            return null;
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
