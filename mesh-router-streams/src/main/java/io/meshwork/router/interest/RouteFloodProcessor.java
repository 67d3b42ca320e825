package io.meshwork.router.interest;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.interest.LinkState;
import io.meshwork.router.routing.ArrivalProgress;
import io.meshwork.router.routing.RoutingTable;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.RecordMetadata;
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
    private final List<String> neighbours;
    private final Duration heartbeatInterval;
    private final Duration linkTimeout;
    private final ArrivalProgress progress;
    private final RoutingTable routes;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> seen;
    private LinkLiveness liveness;
    private long lastSeq;
    private long lastHeartbeatMs;

    public RouteFloodProcessor(String region, String seenStoreName, List<String> neighbours, Duration heartbeatInterval,
                               Duration linkTimeout, ArrivalProgress progress, RoutingTable routes) {
        this.region = region;
        this.seenStoreName = seenStoreName;
        this.neighbours = List.copyOf(neighbours);
        this.heartbeatInterval = heartbeatInterval;
        this.linkTimeout = linkTimeout;
        this.progress = progress;
        this.routes = routes;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.seen = context.getStateStore(seenStoreName);
        this.liveness = new LinkLiveness(neighbours, linkTimeout, context.currentSystemTimeMs());
        neighbours.forEach(neighbour -> Gauge.builder("mesh.link.up", liveness, l -> Boolean.TRUE.equals(l.states().get(neighbour)) ? 1 : 0)
                .description("Whether the link carries heartbeats (1) or not (0)")
                .tags("from", region, "to", neighbour).register(MeshMetrics.registry()));
        context.schedule(heartbeatInterval, PunctuationType.WALL_CLOCK_TIME, this::heartbeat);
    }

    @Override
    public void close() {
        // The task may move to another router instance (and back): a gauge left behind would keep
        // showing this processor's last view of the links.
        neighbours.forEach(neighbour -> MeshMetrics.registry().find("mesh.link.up").tags("from", region, "to", neighbour).meters()
                .forEach(MeshMetrics.registry()::remove));
    }

    /** Sends this region's link state to every router (the heartbeat) and re-judges each link. */
    private void heartbeat(long nowMs) {
        long sinceLast = lastHeartbeatMs == 0 ? 0 : nowMs - lastHeartbeatMs;
        lastHeartbeatMs = nowMs;
        if (sinceLast > linkTimeout.toMillis()) {
            // This router was stalled (GC, an overloaded host): the heartbeats that arrived
            // meanwhile are still unprocessed, so silence now says nothing about the links.
            LOG.warn("region {}: router stalled for {} ms; links not judged this round", region, sinceLast);
        } else {
            judgeLinks(nowMs);
        }
        lastSeq = Math.max(lastSeq + 1, nowMs * 1000);
        LinkState state = new LinkState(region, lastSeq, nowMs, liveness.states(), liveness.rtts(), progress.snapshot(),
                routes.current().next());
        context.forward(new Record<>(state.key(), state.encode(), nowMs));
    }

    private void judgeLinks(long nowMs) {
        liveness.evaluate(nowMs).forEach((neighbour, up) -> {
            if (up) {
                LOG.warn("region {}: link to {} UP again (steady heartbeats)", region, neighbour);
            } else {
                LOG.warn("region {}: link to {} DOWN (no heartbeat for {} ms)", region, neighbour, liveness.silenceMs(neighbour, nowMs));
            }
        });
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (record.key() != null && record.key().startsWith(LinkState.KEY_PREFIX)) {
            floodLinkState(record);
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
        context.forward(learnedFrom(new Record<>(advert.key(), record.value(), record.timestamp())));
        // Tell the origin this region now routes for the advert (the global route table applies
        // it from mesh.routes moments later), so its edges can confirm mesh-wide activation.
        RouteAck ack = RouteAck.of(region, advert);
        context.forward(new Record<>(ack.key(), ack.encode(), record.timestamp()));
    }

    private void floodLinkState(Record<String, byte[]> record) {
        LinkState state;
        try {
            state = LinkState.decode(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warn("region {}: ignoring malformed link state {}: {}", region, record.key(), e.getMessage());
            return;
        }
        if (state.origin().equals(neighbourSending())) {
            // Straight over the link: a heartbeat, carrying the RTT the control channel measured.
            liveness.heard(state.origin(), context.currentSystemTimeMs(), measuredRtt(record));
        }
        if (state.origin().equals(region)) {
            return;
        }
        Long known = seen.get(state.key());
        if (known != null && known >= state.seq()) {
            return;
        }
        seen.put(state.key(), state.seq());
        context.forward(learnedFrom(new Record<>(state.key(), record.value(), record.timestamp())));
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
        context.forward(learnedFrom(new Record<>(ack.key(), record.value(), record.timestamp())));
    }

    /** The neighbour whose {@code <neighbour>.mesh.routes} the current record came from. */
    private String neighbourSending() {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        String suffix = "." + MeshKafkaTopics.ROUTES;
        return topic.endsWith(suffix) ? topic.substring(0, topic.length() - suffix.length()) : "";
    }

    /** Marks a flooded record with the neighbour it came from, so the channel back there skips it (split horizon). */
    private Record<String, byte[]> learnedFrom(Record<String, byte[]> record) {
        Headers headers = new RecordHeaders();
        MeshHeaderCodec.writeLearnedFrom(headers, neighbourSending());
        return record.withHeaders(headers);
    }

    private static long measuredRtt(Record<String, byte[]> record) {
        return MeshHeaderCodec.linkRttMs(record.headers()).orElse(-1);
    }
}
