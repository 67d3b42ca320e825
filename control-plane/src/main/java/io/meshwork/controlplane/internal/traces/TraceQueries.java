package io.meshwork.controlplane.internal.traces;

import static io.meshwork.controlplane.db.Tables.BROKER_NODES;
import static io.meshwork.controlplane.db.Tables.MESSAGE_TRACE_LOGS;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Reads one event's trace: its hops in order, with broker, region, time and per-hop latency. */
public final class TraceQueries {

    private final DSLContext dsl;

    public TraceQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The hops of {@code eventId} in the order they happened; empty when the event was not traced (yet). */
    public List<Map<String, Object>> hops(String eventId) {
        var hopBroker = BROKER_NODES.as("hop_broker");
        var originBroker = BROKER_NODES.as("origin_broker");
        // Same-millisecond hops keep the order an event takes: publish, forward, arrival, delivery.
        var kindOrder = DSL.when(MESSAGE_TRACE_LOGS.HOP_KIND.eq("PUBLISH"), 0).when(MESSAGE_TRACE_LOGS.HOP_KIND.eq("FORWARD"), 1)
                .when(MESSAGE_TRACE_LOGS.HOP_KIND.eq("ARRIVAL"), 2).otherwise(3);
        List<Record> rows = dsl.select(MESSAGE_TRACE_LOGS.asterisk(), hopBroker.BROKER_NAME.as("hop_broker_name"),
                        originBroker.BROKER_NAME.as("origin_broker_name"))
                .from(MESSAGE_TRACE_LOGS)
                .join(hopBroker).on(hopBroker.BROKER_ID.eq(MESSAGE_TRACE_LOGS.HOP_BROKER_ID))
                .join(originBroker).on(originBroker.BROKER_ID.eq(MESSAGE_TRACE_LOGS.ORIGIN_BROKER_ID))
                .where(MESSAGE_TRACE_LOGS.MESSAGE_ID.eq(eventId))
                .orderBy(MESSAGE_TRACE_LOGS.CREATED_AT, kindOrder, MESSAGE_TRACE_LOGS.HOP_COUNT)
                .fetch();
        List<Map<String, Object>> hops = new ArrayList<>();
        OffsetDateTime first = null;
        for (Record row : rows) {
            OffsetDateTime at = row.get(MESSAGE_TRACE_LOGS.CREATED_AT);
            first = first == null ? at : first;
            Map<String, Object> hop = new LinkedHashMap<>();
            hop.put("hop", hops.size() + 1);
            hop.put("kind", row.get(MESSAGE_TRACE_LOGS.HOP_KIND));
            hop.put("broker", row.get("hop_broker_name", String.class));
            hop.put("region", row.get(MESSAGE_TRACE_LOGS.HOP_REGION));
            hop.put("fromRegion", row.get(MESSAGE_TRACE_LOGS.FROM_REGION));
            hop.put("time", at.toInstant().toString());
            hop.put("latencyMs", row.get(MESSAGE_TRACE_LOGS.PROCESSING_LATENCY_MS));
            hop.put("sincePublishMs", Duration.between(first, at).toMillis());
            hop.put("hopCount", row.get(MESSAGE_TRACE_LOGS.HOP_COUNT));
            hop.put("routingPath", Arrays.asList(row.get(MESSAGE_TRACE_LOGS.ROUTING_PATH)));
            hop.put("topic", row.get(MESSAGE_TRACE_LOGS.TOPIC));
            hop.put("payloadBytes", row.get(MESSAGE_TRACE_LOGS.PAYLOAD_SIZE_BYTES));
            hop.put("originBroker", row.get("origin_broker_name", String.class));
            hop.put("traceOnly", row.get(MESSAGE_TRACE_LOGS.TRACE_ONLY));
            hops.add(hop);
        }
        return hops;
    }
}
