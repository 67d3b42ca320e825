package io.meshwork.router.interest;

import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouteAdvert;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Floods neighbours' route adverts ({@code <neighbour>.mesh.routes}, mirrored over the link) into
 * this region's {@code mesh.routes}, so that interest reaches regions two hops away and every
 * router sees every region's interest. An advert is passed on only if it is newer (by its
 * origin's sequence number) than what this router already passed on, and never for its own
 * region: that is what stops the flood and keeps stale adverts from overwriting new ones.
 * Each advert accepted is acknowledged ({@link RouteAck}); acknowledgements flood back the same
 * way, so the origin learns which regions route for its interest.
 */
public final class RouteFloodProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFloodProcessor.class);

    private final String region;
    private final String seenStoreName;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> seen;

    public RouteFloodProcessor(String region, String seenStoreName) {
        this.region = region;
        this.seenStoreName = seenStoreName;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.seen = context.getStateStore(seenStoreName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (!RouteAdvert.isAdvertKey(record.key())) {
            floodAck(record);
            return;
        }
        RouteAdvert advert;
        try {
            advert = RouteAdvert.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring malformed route advert {}: {}", region, record.key(), e.getMessage());
            return;
        }
        if (advert.origin().equals(region)) {
            return;
        }
        Long known = seen.get(advert.key());
        if (known != null && known >= advert.seq()) {
            return;
        }
        seen.put(advert.key(), advert.seq());
        context.forward(new Record<>(advert.key(), record.value(), record.timestamp()));
        // Tell the origin this region now routes for the advert (the global route table applies
        // it from mesh.routes moments later), so its edges can confirm mesh-wide activation.
        RouteAck ack = RouteAck.of(region, advert);
        context.forward(new Record<>(ack.key(), ack.encode(), record.timestamp()));
    }

    private void floodAck(Record<String, byte[]> record) {
        RouteAck ack;
        try {
            ack = RouteAck.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring malformed route ack {}: {}", region, record.key(), e.getMessage());
            return;
        }
        if (ack.acker().equals(region)) {
            return;
        }
        Long known = seen.get(ack.key());
        if (known != null && known >= ack.seq()) {
            return;
        }
        seen.put(ack.key(), ack.seq());
        context.forward(new Record<>(ack.key(), record.value(), record.timestamp()));
    }
}
