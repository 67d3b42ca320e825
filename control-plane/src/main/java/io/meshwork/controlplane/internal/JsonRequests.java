package io.meshwork.controlplane.internal;

import static io.meshwork.controlplane.internal.JsonAnswers.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;

/** Reading the ops API's JSON requests, with every refusal an {@link ApiProblem} naming the field. */
public final class JsonRequests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonRequests() {
    }

    /** The request body as a JSON object; a 400 {@code MALFORMED_JSON} naming {@code body} otherwise. */
    public static Map<String, Object> body(Context ctx) {
        try {
            Map<String, Object> body = JSON.readValue(ctx.bodyAsBytes(), new TypeReference<Map<String, Object>>() { });
            if (body == null) {
                throw new ApiProblem(400, "MALFORMED_JSON", "body", "the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new ApiProblem(400, "MALFORMED_JSON", "body", "the body must be a JSON object: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
    }

    /**
     * The {@code id} path parameter as a UUID; a 400 with {@code code} naming {@code id} otherwise.
     *
     * @param what what the id names, for the message ("a rule", "an ACL entry")
     */
    public static UUID pathId(Context ctx, String code, String what) {
        String text = ctx.pathParam("id");
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, code, "id", "'" + text + "' is not " + what + " UUID");
        }
    }

    /** Runs {@code action}, answering an {@link ApiProblem} it throws with the JSON error body. */
    public static void handle(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (ApiProblem problem) {
            error(ctx, problem.status(), problem.code(), problem.field(), problem.getMessage());
        }
    }
}
