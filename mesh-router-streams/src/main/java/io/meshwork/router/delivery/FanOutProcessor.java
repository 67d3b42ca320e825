package io.meshwork.router.delivery;

import io.meshwork.core.envelope.InvalidEventException;
import io.meshwork.core.envelope.KafkaEventView;
import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * In-region fan-out: copies each event of {@code mesh.events} (local publishes and the arrivals
 * the arrival router wrote there) to the delivery slots of the edges in routed mode whose
 * subscriptions match it, one copy per slot, in the same exactly-once transaction as the rest of
 * the task's output. Events are read without being decoded and copied as they came.
 *
 * <p>Must be the first child of the {@code mesh.events} source: its sibling, the local event
 * router, rewrites the record's headers in place when it forwards an event to other regions.
 */
final class FanOutProcessor implements Processor<String, byte[], String, SlotCopy> {

    /** Child writing to {@code mesh.deliveries}. */
    static final String SINK = "edge-deliveries";

    private final String region;
    private final EdgeSlots slots;
    private final Counter copies;
    private ProcessorContext<String, SlotCopy> context;

    FanOutProcessor(String region, EdgeSlots slots) {
        this.region = region;
        this.slots = slots;
        this.copies = Counter.builder("mesh.router.delivery.copies")
                .description("Event copies written to mesh.deliveries for edges in routed mode")
                .tag("region", region).register(MeshMetrics.registry());
    }

    @Override
    public void init(ProcessorContext<String, SlotCopy> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (slots.isEmpty()) {
            return;
        }
        KafkaEventView event;
        try {
            event = KafkaEventView.read(record.headers(), record.value(), region);
        } catch (InvalidEventException e) {
            return; // the local event router sends it to mesh.dlq
        }
        Set<Integer> wanting = slots.slotsFor(event.topic(), event.selectorContext());
        if (wanting.isEmpty()) {
            return;
        }
        context.forward(new Record<>(record.key(), new SlotCopy(record.value(), wanting), record.timestamp(),
                new RecordHeaders(record.headers().toArray())), SINK);
        copies.increment(wanting.size());
    }
}
