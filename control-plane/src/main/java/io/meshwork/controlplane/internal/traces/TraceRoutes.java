package io.meshwork.controlplane.internal.traces;

import static io.meshwork.controlplane.internal.JsonAnswers.error;
import static io.meshwork.controlplane.internal.JsonAnswers.json;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/traces/{eventId}}: the hops of a sampled event in order (404 when it was not traced). */
public final class TraceRoutes {

    private final TraceQueries queries;

    public TraceRoutes(TraceQueries queries) {
        this.queries = queries;
    }

    public void get(Context ctx) {
        String eventId = ctx.pathParam("eventId");
        if (eventId.isBlank() || eventId.length() > 128) {
            error(ctx, 400, "INVALID_EVENT_ID", "eventId", "an event id is 1..128 characters");
            return;
        }
        List<Map<String, Object>> hops = queries.hops(eventId);
        if (hops.isEmpty()) {
            error(ctx, 404, "NOT_TRACED", "eventId", "no trace of event '" + eventId
                    + "': it was not sampled, or its hops have not been stored yet");
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("eventId", eventId);
        answer.put("topic", hops.get(0).get("topic"));
        answer.put("traceOnly", hops.get(0).get("traceOnly"));
        answer.put("hops", hops);
        json(ctx, 200, answer);
    }
}
