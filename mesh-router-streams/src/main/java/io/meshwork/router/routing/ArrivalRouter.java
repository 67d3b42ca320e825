package io.meshwork.router.routing;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventView;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.metrics.Stage;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.core.envelope.Routing;
import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.router.traces.HopTracer;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.streams.processor.PunctuationType;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles events that arrived over a link ({@code <neighbour>.mesh.link.<this region>}): drops
 * routing loops and events whose hop budget is spent, delivers those destined for this region
 * into the local {@code mesh.events} (marked as arrived, so they are never forwarded again as
 * local events), and forwards the rest towards their next hop (transit). An event that already
 * arrived within the dedup window (a link retry, or a copy re-sent along another path) is
 * dropped and counted. Local deliveries keep the origin's order across path changes
 * ({@link ArrivalOrder}).
 *
 * <p>The link's {@code EnterBroker} transform normally appends this broker to the path and
 * spends the hop on the way in; if a link runs without it, this router does it, so the rules
 * hold either way.
 */
public final class ArrivalRouter implements Processor<String, byte[], String, byte[]> {

    /** Child receiving events for local delivery (sink to {@code mesh.events}). */
    public static final String LOCAL_DELIVERY = "local-delivery";
    /** Prefix of the per-neighbour link sinks this processor writes to. */
    public static final String LINK_CHILD_PREFIX = "transit-to-";
    /** Child writing to {@code mesh.dlq}. */
    public static final String DEAD_LETTERS = "arrival-dead-letters";

    private static final Logger LOG = LoggerFactory.getLogger(ArrivalRouter.class);

    private final String region;
    private final Forwarder forwarder;
    private final RouterMetrics metrics;
    private final HopTracer tracer;
    /** Name of the dedup ledger's window store. */
    public static final String DEDUP_STORE = "dedup-ledger";
    /** Key-value store: last origin offset delivered per origin partition. */
    public static final String ORDER_DELIVERED_STORE = "arrival-order-delivered";
    /** Key-value store: arrivals waiting for an earlier event of their origin. */
    public static final String ORDER_HELD_STORE = "arrival-order-held";

    private final Duration dedupWindow;
    private final Duration orderHold;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> progress;
    private DedupLedger ledger;
    private ArrivalOrder order;

    public ArrivalRouter(String region, RoutingTable routes, RouterMetrics metrics, Duration dedupWindow, Duration orderHold) {
        this.region = region;
        this.dedupWindow = dedupWindow;
        this.orderHold = orderHold;
        this.metrics = metrics;
        this.forwarder = new Forwarder(region, routes, metrics, LINK_CHILD_PREFIX, DEAD_LETTERS);
        this.tracer = new HopTracer(region, HopTracer.ARRIVALS_SINK);
    }

    /** Child name of the transit sink towards {@code neighbour}. */
    public static String linkChild(String neighbour) {
        return Forwarder.linkChild(LINK_CHILD_PREFIX, neighbour);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.progress = context.getStateStore(ArrivalProgress.STORE);
        this.ledger = new DedupLedger(context.getStateStore(DEDUP_STORE), dedupWindow);
        this.order = new ArrivalOrder(region, context.getStateStore(ORDER_DELIVERED_STORE), context.getStateStore(ORDER_HELD_STORE),
                orderHold, metrics);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> order.expire(now, this::deliverLocally));
    }

    private void deliverLocally(Record<String, byte[]> record) {
        // A trace-only dry run is numbered and ordered like any event, but delivered to nobody.
        if (HopTracer.deliverLocally(record)) {
            MeshHeaderCodec.stampStage(record.headers(), System.currentTimeMillis());
            context.forward(record, LOCAL_DELIVERY);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
        String from = topic.endsWith(MeshKafkaTopics.link(region)) && topic.length() > MeshKafkaTopics.link(region).length()
                ? topic.substring(0, topic.length() - MeshKafkaTopics.link(region).length() - 1) : topic;
        MeshHeaderCodec.stageAt(record.headers()).ifPresent(Stage.LINK::recordSinceEpochMs);
        route(record, topic, from);
        // A record the link did not stamp has no spool offset to report.
        MeshHeaderCodec.linkOffset(record.headers()).ifPresent(offset -> processed(from, offset));
    }

    /**
     * Records how far {@code from}'s spool partition was processed, in this task's transaction:
     * the store moves with the partition to whichever instance owns it, and its changelog tells
     * every instance ({@link ArrivalProgressFeed}).
     */
    private void processed(String from, long offset) {
        String key = ArrivalProgress.key(from, partition());
        Long known = progress.get(key);
        if (known == null || known < offset) {
            progress.put(key, offset);
        }
    }

    private void route(Record<String, byte[]> record, String topic, String from) {
        KafkaEventView event;
        try {
            event = KafkaEventView.read(record.headers(), record.value(), region);
        } catch (InvalidEventException e) {
            forwarder.deadLetter(context, record, e, topic);
            return;
        }
        Routing routing = event.routing();
        List<String> path = routing.path();
        if (!path.get(path.size() - 1).equals(region)) {
            if (routing.hasVisited(region)) {
                dropLoop(event, from, path);
                return;
            }
            if (routing.hopBudget() == 0) {
                dropHopLimit(event, from, path);
                return;
            }
            routing = routing.enter(region);
        } else if (path.indexOf(region) < path.size() - 1) {
            dropLoop(event, from, path);
            return;
        }
        Set<String> destinations = MeshHeaderCodec.destinations(record.headers());
        if (destinations.isEmpty()) {
            forwarder.deadLetter(context, record,
                    new InvalidEventException(MeshHeaders.DESTINATIONS, "link record without destinations"), topic);
            return;
        }
        record = tracer.arrived(context, record, event, routing, from, destinations.contains(region));
        if (destinations.remove(region)) {
            deliverOnce(record, event, from, routing);
        }
        if (!destinations.isEmpty()) {
            if (routing.hopBudget() == 0) {
                dropHopLimit(event, from, routing.path());
                return;
            }
            forwarder.forward(context, record, routing, destinations, event.id());
        }
    }

    /**
     * Delivers an event destined for this region into the local {@code mesh.events}, in its
     * origin's order, unless it already arrived within the dedup window (a link retry, or a
     * copy re-sent along another path). Only the local delivery is deduplicated: a copy that
     * arrives again on its way elsewhere (a spool re-sent towards another region through here)
     * is still forwarded, and its destination deduplicates it.
     */
    private void deliverOnce(Record<String, byte[]> record, KafkaEventView event, String from, Routing routing) {
        OptionalLong number = MeshHeaderCodec.sequence(record.headers(), region);
        if (!ledger.firstArrival(DedupLedger.key(routing.originRegion(), event.id()), context.currentSystemTimeMs())) {
            metrics.duplicateDropped();
            LOG.debug("region {}: event {} from {} arrived again; dropped as a duplicate", region, event.id(), from);
            if (number.isPresent()) {
                order.duplicate(record, routing.originRegion(), partition(), number.getAsLong(), context.currentSystemTimeMs(),
                        this::deliverLocally);
            }
            return;
        }
        Headers headers = Forwarder.copy(record.headers());
        MeshHeaderCodec.writeRouting(headers, routing);
        MeshHeaderCodec.writeArrivedFrom(headers, from);
        Record<String, byte[]> arrival = record.withHeaders(headers);
        if (number.isPresent()) {
            order.arrived(arrival, routing.originRegion(), partition(), number.getAsLong(), context.currentSystemTimeMs(),
                    this::deliverLocally);
        } else {
            deliverLocally(arrival);
        }
        metrics.arrival(from);
    }

    private int partition() {
        return context.recordMetadata().map(RecordMetadata::partition).orElse(0);
    }

    private void dropLoop(KafkaEventView event, String from, List<String> path) {
        metrics.loopDropped();
        LOG.warn("region {}: routing loop, event {} from {} already passed here (path {}); dropped", region, event.id(), from, path);
    }

    private void dropHopLimit(KafkaEventView event, String from, List<String> path) {
        metrics.hopLimitDropped();
        LOG.warn("region {}: event {} from {} has spent its hop budget (path {}); dropped", region, event.id(), from, path);
    }
}
