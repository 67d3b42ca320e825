package io.meshwork.router.routing;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.MeshHeaders;
import io.meshwork.router.interest.RemoteInterest;
import io.meshwork.router.traces.HopTracer;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Routes events published in this region ({@code mesh.events}) towards the regions whose
 * advertised interest matches them (pattern and selector), one copy per next hop. Events
 * nobody elsewhere wants, or that no remote selector accepts, never leave the region; arrivals (marked by the arrival router) are never forwarded again; records
 * that are not valid mesh events go to {@code mesh.dlq}.
 */
public final class LocalEventRouter implements Processor<String, byte[], String, byte[]> {

    /** Prefix of the per-neighbour link sinks this processor writes to. */
    public static final String LINK_CHILD_PREFIX = "local-to-";
    /** Child writing to {@code mesh.dlq}. */
    public static final String DEAD_LETTERS = "local-dead-letters";

    private final String region;
    private final KafkaEventCodec codec;
    private final RemoteInterest interest;
    private final Forwarder forwarder;
    private final HopTracer tracer;
    private ProcessorContext<String, byte[]> context;

    public LocalEventRouter(String region, RemoteInterest interest, RoutingTable routes, RouterMetrics metrics) {
        this.region = region;
        this.codec = new KafkaEventCodec(region, region);
        this.interest = interest;
        this.forwarder = new Forwarder(region, routes, metrics, LINK_CHILD_PREFIX, DEAD_LETTERS);
        this.tracer = new HopTracer(region);
    }

    /** Child name of the sink towards {@code neighbour}. */
    public static String linkChild(String neighbour) {
        return Forwarder.linkChild(LINK_CHILD_PREFIX, neighbour);
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.headers().lastHeader(MeshHeaders.ARRIVED_FROM) != null) {
            return;
        }
        MeshEvent event;
        try {
            event = codec.decode(record.headers(), record.value());
        } catch (InvalidEventException e) {
            forwarder.deadLetter(context, record, e, "mesh.events");
            return;
        }
        Set<String> wanting = interest.regionsWanting(event.topic(), event.selectorContext());
        wanting.remove(region);
        if (!wanting.isEmpty()) {
            record = tracer.forwarding(context, record, event);
            forwarder.forward(context, record, event.routing(), wanting, event.id());
        }
    }
}
