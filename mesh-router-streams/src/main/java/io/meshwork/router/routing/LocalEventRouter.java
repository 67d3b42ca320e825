package io.meshwork.router.routing;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventView;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.metrics.Stage;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.traces.HopTracer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Routes events published in this region ({@code mesh.events}) towards the regions whose
 * advertised interest matches them (pattern and selector), one copy per next hop. Events
 * nobody elsewhere wants, or that no remote selector accepts, never leave the region; arrivals
 * (marked by the arrival router) are never forwarded again; records that are not valid mesh
 * events go to {@code mesh.dlq}. Events are read without being decoded ({@link KafkaEventView})
 * and forwarded as they came, only the mesh's own headers changed.
 */
public final class LocalEventRouter implements Processor<String, byte[], String, byte[]> {

    /** Prefix of the per-neighbour link sinks this processor writes to. */
    public static final String LINK_CHILD_PREFIX = "local-to-";
    /** Child writing to {@code mesh.dlq}. */
    public static final String DEAD_LETTERS = "local-dead-letters";

    private final String region;
    private final RemoteInterest interest;
    private final Forwarder forwarder;
    private final HopTracer tracer;
    private final int linkPartitions;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> lastSent;

    public LocalEventRouter(String region, RemoteInterest interest, RoutingTable routes, RouterMetrics metrics, int linkPartitions) {
        this.region = region;
        this.linkPartitions = linkPartitions;
        this.interest = interest;
        this.forwarder = new Forwarder(region, routes, metrics, LINK_CHILD_PREFIX, DEAD_LETTERS);
        this.tracer = new HopTracer(region, HopTracer.LOCAL_SINK);
    }

    /**
     * Key-value store: per destination and link partition, the number of the last event sent
     * there ({@code mesh_seq}).
     */
    public static final String SEQUENCE_STORE = "route-sequence";

    /** Child name of the sink towards {@code neighbour}. */
    public static String linkChild(String neighbour) {
        return Forwarder.linkChild(LINK_CHILD_PREFIX, neighbour);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.lastSent = context.getStateStore(SEQUENCE_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (MeshHeaderCodec.isArrival(record.headers())) {
            return;
        }
        KafkaEventView event;
        try {
            event = KafkaEventView.read(record.headers(), record.value(), region);
        } catch (InvalidEventException e) {
            forwarder.deadLetter(context, record, e, "mesh.events");
            return;
        }
        Set<String> wanting = interest.regionsWanting(event.topic(), event.selectorContext());
        wanting.remove(region);
        if (wanting.isEmpty()) {
            return;
        }
        if (record.key() == null) {
            // Keyless (a plain Kafka producer): key by the mesh topic, as the edges do, so the
            // link partition, and with it the order of the topic's events, is known.
            record = record.withKey(event.topic().value());
        }
        record = tracer.forwarding(context, record, event);
        numberTowards(record.headers(), LinkPartitioner.partitionFor(record.key(), linkPartitions), wanting);
        forwarder.forward(context, record, event.routing(), wanting, event.id());
        Stage.ROUTER.recordNanos(TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - record.timestamp()));
    }

    /** Numbers the event in each destination's stream on its link partition, so the destination can keep the order. */
    private void numberTowards(Headers headers, int partition, Set<String> destinations) {
        Map<String, Long> numbers = new HashMap<>();
        for (String destination : destinations) {
            String key = destination + "|" + partition;
            Long last = lastSent.get(key);
            long number = last == null ? 1 : last + 1;
            lastSent.put(key, number);
            numbers.put(destination, number);
        }
        MeshHeaderCodec.writeSequence(headers, numbers);
    }
}
