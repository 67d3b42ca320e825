package io.meshwork.router.interest;

import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.interest.ControlCodec;
import io.meshwork.core.interest.ControlRecord;
import io.meshwork.core.interest.InvalidControlRecordException;
import io.meshwork.core.interest.LinkState;
import io.meshwork.router.routing.ArrivalProgress;
import io.meshwork.router.routing.RouterMetrics;
import io.meshwork.router.routing.RoutingTable;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.meshwork.core.interest.RouteAck;
import io.meshwork.core.interest.RouterBeat;
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
 * Floods neighbours' control records ({@code <neighbour>.mesh.routes}, relayed over the link) into
 * this region's {@code mesh.routes}, so that interest and link states reach regions two hops away
 * and every router sees every region's. Adverts, acknowledgements and link states all go through
 * one rule: passed on only if newer (by the issuer's sequence number) than what
 * this router already passed on, and never its own region's: that is what stops the flood and
 * keeps stale records from overwriting new ones. Each advert accepted is acknowledged
 * ({@link RouteAck}), so the origin learns which regions route for its interest; a neighbour's
 * link state, or a {@link RouterBeat} of any of its router instances, that arrives straight over
 * its link is its heartbeat; beats are never flooded. A record this release cannot
 * read goes to {@code mesh.dlq} with the reason.
 */
public final class RouteFloodProcessor implements Processor<String, byte[], String, byte[]> {

    /** Child receiving flooded records, acknowledgements and this router's link state (sink to {@code mesh.routes}). */
    public static final String ROUTES = "flooded-routes";
    /** Child receiving unreadable control records (sink to {@code mesh.dlq}). */
    public static final String DEAD_LETTERS = "control-dead-letters";

    private static final Logger LOG = LoggerFactory.getLogger(RouteFloodProcessor.class);

    private final String region;
    private final String seenStoreName;
    private final List<String> neighbours;
    private final Duration heartbeatInterval;
    private final Duration linkTimeout;
    private final ArrivalProgress progress;
    private final RoutingTable routes;
    private final RouterMetrics metrics;
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
        this.metrics = new RouterMetrics(region);
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
        context.forward(new Record<>(state.key(), ControlCodec.encode(state), nowMs), ROUTES);
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
        ControlRecord control;
        try {
            control = ControlCodec.decode(record.value());
        } catch (InvalidControlRecordException e) {
            deadLetter(record, e);
            return;
        }
        if (control instanceof RouterBeat beat) {
            // Any instance of the neighbour's router is alive: the link carries traffic even while the
            // task that sends the neighbour's link state moves. Meaningful one hop only: never flooded.
            if (beat.origin().equals(neighbourSending())) {
                liveness.heard(beat.origin(), context.currentSystemTimeMs(), measuredRtt(record));
            }
            return;
        }
        if (control instanceof LinkState state && state.origin().equals(neighbourSending())) {
            // Straight over the link: a heartbeat, whatever its sequence number, carrying the RTT
            // the control channel measured.
            liveness.heard(state.origin(), context.currentSystemTimeMs(), measuredRtt(record));
        }
        if (flood(control, record.timestamp()) && control instanceof RouteAdvert advert) {
            // Tell the origin this region now routes for the advert (the global route table applies
            // it from mesh.routes moments later), so its edges can confirm mesh-wide activation.
            RouteAck ack = RouteAck.of(region, advert);
            context.forward(new Record<>(ack.key(), ControlCodec.encode(ack), record.timestamp()), ROUTES);
        }
    }

    /**
     * The flooding rule, the same for every kind of control record: a record a neighbour relayed
     * is passed into this region's {@code mesh.routes} (and so on to every other neighbour) if
     * another region issued it and its sequence number is higher than any this router passed on
     * under its key; it is marked with the neighbour it came from, which the control channel
     * back to that neighbour skips (split horizon). Passed on re-encoded in the current version.
     *
     * @return whether the record was passed on
     */
    private boolean flood(ControlRecord control, long timestamp) {
        if (control.issuer().equals(region)) {
            return false;
        }
        Long known = seen.get(control.key());
        if (known != null && known >= control.seq()) {
            return false;
        }
        seen.put(control.key(), control.seq());
        context.forward(learnedFrom(new Record<>(control.key(), ControlCodec.encode(control), timestamp)), ROUTES);
        return true;
    }

    /** An unreadable record (garbage, or a kind of a later release) goes to mesh.dlq; the flood goes on without it. */
    private void deadLetter(Record<String, byte[]> record, InvalidControlRecordException reason) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        MeshHeaderCodec.writeDeadLetter(headers, reason.field(), reason.getMessage());
        context.forward(record.withHeaders(headers), DEAD_LETTERS);
        metrics.deadLetter(reason.field());
        LOG.warn("region {}: control record {} from {} is unreadable ({}: {}); sent to mesh.dlq", region, record.key(),
                MeshKafkaTopics.remoteRoutes(neighbourSending()), reason.field(), reason.getMessage());
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
