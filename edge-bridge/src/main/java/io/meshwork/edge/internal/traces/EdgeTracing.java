package io.meshwork.edge.internal.traces;

import io.meshwork.core.envelope.MeshEvent;
import io.meshwork.core.envelope.MeshHeaderCodec;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceEmitter;
import io.meshwork.core.trace.TraceHop;
import io.meshwork.core.trace.TraceMode;
import io.meshwork.core.trace.TraceSampler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The edge's part of tracing: decides at publish whether an event is traced (once, at the
 * origin, carried on as the {@code mesh_trace} header) and reports the PUBLISH and DELIVERY hops
 * to the region's {@code mesh.traces}.
 */
public final class EdgeTracing implements AutoCloseable {

    private final String region;
    private final String nodeName;
    private final TraceSampler sampler;
    private final TraceEmitter emitter;

    /** @param nodeName this edge's name in the broker directory */
    public EdgeTracing(KafkaClients kafka, String region, String nodeName, double sampleRate) {
        this.region = region;
        this.nodeName = nodeName;
        this.sampler = new TraceSampler(sampleRate);
        this.emitter = new TraceEmitter(kafka, region, "edge-traces-" + nodeName);
    }

    /** Decides whether {@code event} is traced and marks its record's {@code headers} accordingly. */
    public TraceMode decide(MeshEvent event, Headers headers, long sentAtMs) {
        TraceMode mode = sampler.decide(event.event());
        MeshHeaderCodec.writeTraceMode(headers, mode);
        if (mode.traced()) {
            MeshHeaderCodec.stampHop(headers, sentAtMs);
        }
        return mode;
    }

    /** The origin hop: the event was handed to Kafka at {@code sentAtMs} and acknowledged at {@code ackedAtMs}. */
    public void published(MeshEvent event, TraceMode mode, long sentAtMs, long ackedAtMs) {
        if (mode.traced()) {
            emitter.emit(new TraceHop(event.id(), event.topic().value(), event.payload().length, event.routing().originRegion(),
                    nodeName, event.routing().path(), HopKind.PUBLISH, region, nodeName, sentAtMs, ackedAtMs - sentAtMs, null,
                    mode == TraceMode.TRACE_ONLY, traceparent(event)));
        }
    }

    /** Whether the edge may deliver the event in {@code record} at all: dry runs go to nobody. */
    public static boolean deliverable(ConsumerRecord<?, ?> record) {
        return MeshHeaderCodec.traceMode(record.headers()) != TraceMode.TRACE_ONLY;
    }

    /** The last hop: the edge handed the event to {@code subscribers} local subscribers. */
    public void delivered(MeshEvent event, ConsumerRecord<?, ?> record, int subscribers) {
        if (subscribers == 0 || !MeshHeaderCodec.traceMode(record.headers()).traced()) {
            return;
        }
        long now = System.currentTimeMillis();
        emitter.emit(new TraceHop(event.id(), event.topic().value(), event.payload().length, event.routing().originRegion(),
                null, event.routing().path(), HopKind.DELIVERY, region, nodeName, now,
                now - MeshHeaderCodec.previousHopAt(record.headers(), record.timestamp()), null, false, traceparent(event)));
    }

    private static String traceparent(MeshEvent event) {
        Object traceparent = event.event().getExtension(TraceSampler.TRACEPARENT_EXTENSION);
        return traceparent == null ? null : traceparent.toString();
    }

    @Override
    public void close() {
        emitter.close();
    }
}
