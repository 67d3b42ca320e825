package io.meshwork.controlplane.internal.ops;

import static io.meshwork.controlplane.internal.JsonAnswers.error;
import static io.meshwork.controlplane.internal.JsonAnswers.json;

import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/ops/busiest-topics}, {@code /v1/ops/link-latency}, {@code /v1/ops/hop-counts},
 * {@code /v1/ops/origins}; each over {@code ?from=&to=} (ISO-8601 instants, default: the last
 * hour) or {@code ?window=PT15M} ending now.
 */
public final class OpsRoutes {

    /** Longest window one query may cover. */
    public static final Duration MAX_WINDOW = Duration.ofDays(31);

    private final OpsQueries queries;

    public OpsRoutes(OpsQueries queries) {
        this.queries = queries;
    }

    private record Window(Instant from, Instant to) {
    }

    public void busiestTopics(Context ctx) {
        Window window = window(ctx);
        if (window == null) {
            return;
        }
        int limit;
        try {
            limit = ctx.queryParam("limit") == null ? 10 : Integer.parseInt(ctx.queryParam("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > 1000) {
            error(ctx, 400, "INVALID_PARAMETER", "limit", "'limit' must be within 1..1000, was '" + ctx.queryParam("limit") + "'");
            return;
        }
        answer(ctx, window, "topics", OpsQueries.rows(queries.busiestTopicsQuery(window.from(), window.to(), limit)));
    }

    public void linkLatency(Context ctx) {
        Window window = window(ctx);
        if (window != null) {
            answer(ctx, window, "links", OpsQueries.rows(queries.linkLatencyQuery(window.from(), window.to())));
        }
    }

    public void hopCounts(Context ctx) {
        Window window = window(ctx);
        if (window != null) {
            answer(ctx, window, "hopCounts", OpsQueries.rows(queries.hopCountsQuery(window.from(), window.to())));
        }
    }

    public void origins(Context ctx) {
        Window window = window(ctx);
        if (window != null) {
            answer(ctx, window, "origins", OpsQueries.rows(queries.originsQuery(window.from(), window.to())));
        }
    }

    private static void answer(Context ctx, Window window, String name, Object rows) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("from", window.from().toString());
        answer.put("to", window.to().toString());
        answer.put(name, rows);
        json(ctx, 200, answer);
    }

    private static Window window(Context ctx) {
        Instant to;
        Instant from;
        try {
            to = ctx.queryParam("to") == null ? Instant.now() : Instant.parse(ctx.queryParam("to"));
        } catch (DateTimeParseException e) {
            error(ctx, 400, "INVALID_PARAMETER", "to", "'to' must be an ISO-8601 instant like 2026-11-29T12:00:00Z");
            return null;
        }
        try {
            if (ctx.queryParam("window") != null) {
                from = to.minus(Duration.parse(ctx.queryParam("window")));
            } else {
                from = ctx.queryParam("from") == null ? to.minus(Duration.ofHours(1)) : Instant.parse(ctx.queryParam("from"));
            }
        } catch (DateTimeParseException e) {
            String field = ctx.queryParam("window") != null ? "window" : "from";
            error(ctx, 400, "INVALID_PARAMETER", field, field.equals("window")
                    ? "'window' must be an ISO-8601 duration like PT15M" : "'from' must be an ISO-8601 instant like 2026-11-29T11:00:00Z");
            return null;
        }
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            error(ctx, 400, "INVALID_WINDOW", "from", "the window must start before it ends and span at most 31 days");
            return null;
        }
        return new Window(from, to);
    }
}
