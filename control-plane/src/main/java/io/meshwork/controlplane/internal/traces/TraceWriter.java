package io.meshwork.controlplane.internal.traces;

import static io.meshwork.controlplane.db.Tables.MESSAGE_TRACE_LOGS;

import io.meshwork.controlplane.internal.directory.BrokerDirectory;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceHop;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.jooq.DSLContext;

/**
 * Writes trace hops to {@code message_trace_logs}, one multi-row insert per batch. A hop stored
 * before (the Kafka reader is at-least-once) is skipped by {@code uk_trace_hop}. Once stored, a
 * batch is handed on to {@code stored} (the OTLP export, which must not wait).
 */
public final class TraceWriter {

    private final DSLContext dsl;
    private final BrokerDirectory directory;
    private final Consumer<List<TraceHop>> stored;

    public TraceWriter(DSLContext dsl, BrokerDirectory directory) {
        this(dsl, directory, hops -> { });
    }

    /** @param stored told of each batch once it is stored (after, so a batch read again after a failed insert is passed on once) */
    public TraceWriter(DSLContext dsl, BrokerDirectory directory, Consumer<List<TraceHop>> stored) {
        this.dsl = dsl;
        this.directory = directory;
        this.stored = stored;
    }

    /** Stores {@code hops}; returns how many were new. */
    public int write(List<TraceHop> hops) {
        if (hops.isEmpty()) {
            return 0;
        }
        var insert = dsl.insertInto(MESSAGE_TRACE_LOGS, MESSAGE_TRACE_LOGS.MESSAGE_ID, MESSAGE_TRACE_LOGS.ORIGIN_BROKER_ID,
                MESSAGE_TRACE_LOGS.TOPIC, MESSAGE_TRACE_LOGS.PAYLOAD_SIZE_BYTES, MESSAGE_TRACE_LOGS.HOP_COUNT,
                MESSAGE_TRACE_LOGS.ROUTING_PATH, MESSAGE_TRACE_LOGS.PROCESSING_LATENCY_MS, MESSAGE_TRACE_LOGS.CREATED_AT,
                MESSAGE_TRACE_LOGS.HOP_BROKER_ID, MESSAGE_TRACE_LOGS.HOP_REGION, MESSAGE_TRACE_LOGS.HOP_KIND,
                MESSAGE_TRACE_LOGS.ORIGIN_REGION, MESSAGE_TRACE_LOGS.FROM_REGION, MESSAGE_TRACE_LOGS.TRACE_ONLY);
        for (TraceHop hop : hops) {
            String origin = hop.originBroker() != null ? hop.originBroker() : "router-" + hop.originRegion();
            NodeRole originRole = origin.startsWith("router-") ? NodeRole.ROUTER : NodeRole.EDGE;
            NodeRole hopRole = hop.kind() == HopKind.PUBLISH || hop.kind() == HopKind.DELIVERY ? NodeRole.EDGE : NodeRole.ROUTER;
            insert = insert.values(hop.eventId(), directory.idOf(origin, hop.originRegion(), originRole), hop.topic(),
                    hop.payloadBytes(), Math.max(1, hop.path().size()), hop.path().toArray(String[]::new),
                    (int) Math.min(Integer.MAX_VALUE, hop.latencyMs()),
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(hop.atMs()), ZoneOffset.UTC),
                    directory.idOf(hop.broker(), hop.region(), hopRole), hop.region(), hop.kind().name(), hop.originRegion(),
                    hop.fromRegion(), hop.traceOnly());
        }
        int inserted = insert.onConflictDoNothing().execute();
        stored.accept(hops);
        return inserted;
    }
}
