package io.meshwork.edge.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the edge's JSON answers, including its error body. */
public final class JsonResponse {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponse() {
    }

    public static void write(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON response", e);
        }
    }

    /** {@code {"status":400,"error":"INVALID_EVENT","field":"ce-id","message":"..."}} */
    public static void error(Context ctx, int status, String code, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", code);
        body.put("field", field);
        body.put("message", message);
        write(ctx, status, body);
    }
}
