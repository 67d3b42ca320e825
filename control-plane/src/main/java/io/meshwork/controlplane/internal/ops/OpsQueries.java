package io.meshwork.controlplane.internal.ops;

import static io.meshwork.controlplane.db.Tables.MESSAGE_TRACE_LOGS;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

/**
 * The ops questions over the sampled traces, each a jOOQ query over a time window that an index
 * serves ({@code idx_trace_created} or {@code idx_trace_kind_created}, in every monthly partition
 * the window touches; partitions outside it are pruned).
 */
public final class OpsQueries {

    private final DSLContext dsl;

    public OpsQueries(DSLContext dsl) {
        this.dsl = dsl;
    }

    private static Condition within(Instant from, Instant to) {
        return MESSAGE_TRACE_LOGS.CREATED_AT.ge(OffsetDateTime.ofInstant(from, ZoneOffset.UTC))
                .and(MESSAGE_TRACE_LOGS.CREATED_AT.lt(OffsetDateTime.ofInstant(to, ZoneOffset.UTC)));
    }

    /** Busiest topics across regions: traced events per topic and the regions they reached (idx_trace_created). */
    public ResultQuery<? extends Record> busiestTopicsQuery(Instant from, Instant to, int limit) {
        Field<Integer> events = DSL.countDistinct(MESSAGE_TRACE_LOGS.MESSAGE_ID).as("events");
        return dsl.select(MESSAGE_TRACE_LOGS.TOPIC, events, DSL.countDistinct(MESSAGE_TRACE_LOGS.HOP_REGION).as("regions"),
                        DSL.sum(DSL.when(MESSAGE_TRACE_LOGS.HOP_KIND.eq("PUBLISH"), MESSAGE_TRACE_LOGS.PAYLOAD_SIZE_BYTES)
                                .otherwise(0)).cast(Long.class).as("publishedBytes"))
                .from(MESSAGE_TRACE_LOGS)
                .where(within(from, to))
                .groupBy(MESSAGE_TRACE_LOGS.TOPIC)
                .orderBy(DSL.field(DSL.name("events")).desc(), MESSAGE_TRACE_LOGS.TOPIC)
                .limit(limit);
    }

    /** p50/p99 latency of the hop over each link (ARRIVAL hops: from the previous region's forward) (idx_trace_kind_created). */
    public ResultQuery<? extends Record> linkLatencyQuery(Instant from, Instant to) {
        Field<Integer> latency = MESSAGE_TRACE_LOGS.PROCESSING_LATENCY_MS;
        return dsl.select(MESSAGE_TRACE_LOGS.FROM_REGION.as("from"), MESSAGE_TRACE_LOGS.HOP_REGION.as("to"),
                        DSL.count().as("hops"),
                        DSL.percentileCont(0.5).withinGroupOrderBy(latency).as("p50Ms"),
                        DSL.percentileCont(0.99).withinGroupOrderBy(latency).as("p99Ms"),
                        DSL.max(latency).as("maxMs"))
                .from(MESSAGE_TRACE_LOGS)
                .where(MESSAGE_TRACE_LOGS.HOP_KIND.eq("ARRIVAL")).and(within(from, to))
                .and(MESSAGE_TRACE_LOGS.FROM_REGION.isNotNull())
                .groupBy(MESSAGE_TRACE_LOGS.FROM_REGION, MESSAGE_TRACE_LOGS.HOP_REGION)
                .orderBy(MESSAGE_TRACE_LOGS.FROM_REGION, MESSAGE_TRACE_LOGS.HOP_REGION);
    }

    /** How many brokers traced events entered (the longest routing path per event), and how many events did so (idx_trace_created). */
    public ResultQuery<? extends Record> hopCountsQuery(Instant from, Instant to) {
        var perEvent = dsl.select(MESSAGE_TRACE_LOGS.MESSAGE_ID, DSL.max(MESSAGE_TRACE_LOGS.HOP_COUNT).as("hop_count"))
                .from(MESSAGE_TRACE_LOGS)
                .where(within(from, to))
                .groupBy(MESSAGE_TRACE_LOGS.MESSAGE_ID)
                .asTable("per_event");
        Field<Integer> hops = perEvent.field("hop_count", Integer.class);
        return dsl.select(hops.as("hopCount"), DSL.count().as("events"))
                .from(perEvent)
                .groupBy(hops)
                .orderBy(hops);
    }

    /** Traced events per origin region (PUBLISH hops) (idx_trace_kind_created). */
    public ResultQuery<? extends Record> originsQuery(Instant from, Instant to) {
        return dsl.select(MESSAGE_TRACE_LOGS.ORIGIN_REGION.as("originRegion"), DSL.count().as("events"),
                        DSL.count().filterWhere(MESSAGE_TRACE_LOGS.TRACE_ONLY.isTrue()).as("traceOnly"))
                .from(MESSAGE_TRACE_LOGS)
                .where(MESSAGE_TRACE_LOGS.HOP_KIND.eq("PUBLISH")).and(within(from, to))
                .groupBy(MESSAGE_TRACE_LOGS.ORIGIN_REGION)
                .orderBy(DSL.count().desc(), MESSAGE_TRACE_LOGS.ORIGIN_REGION);
    }

    /** Rows of {@code query} as JSON-ready maps (numbers as numbers). */
    public static List<Map<String, Object>> rows(ResultQuery<? extends Record> query) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Record record : query.fetch()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Field<?> field : record.fields()) {
                Object value = record.get(field);
                row.put(field.getName(), value instanceof java.math.BigDecimal d ? d.doubleValue() : value);
            }
            rows.add(row);
        }
        return rows;
    }
}
