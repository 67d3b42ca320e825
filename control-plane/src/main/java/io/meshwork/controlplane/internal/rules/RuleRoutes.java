package io.meshwork.controlplane.internal.rules;

import static io.meshwork.controlplane.internal.JsonAnswers.error;
import static io.meshwork.controlplane.internal.JsonAnswers.json;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.meshwork.controlplane.db.tables.records.EventRoutingRulesRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * CRUD over routing rules: {@code POST /v1/rules}, {@code GET /v1/rules[?status=]},
 * {@code GET|PUT|DELETE /v1/rules/{id}}. {@code PUT} takes any subset of the fields (e.g. only
 * {@code {"status":"SUSPENDED"}}). Bad input is a 400 naming the field; a duplicate
 * (pattern, broker) a 409.
 */
public final class RuleRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RoutingRules rules;
    private final Runnable changed;

    /** @param changed run after every change (re-syncs the rules' interest) */
    public RuleRoutes(RoutingRules rules, Runnable changed) {
        this.rules = rules;
        this.changed = changed;
    }

    public void create(Context ctx) {
        handle(ctx, () -> {
            EventRoutingRulesRecord rule = rules.create(RuleRequest.from(body(ctx), null));
            changed.run();
            json(ctx, 201, rules.view(rule));
        });
    }

    public void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !List.of("ACTIVE", "SUSPENDED").contains(status)) {
            error(ctx, 400, "INVALID_PARAMETER", "status", "'status' must be ACTIVE or SUSPENDED, was '" + status + "'");
            return;
        }
        json(ctx, 200, Map.of("rules", rules.list(status).stream().map(rules::view).toList()));
    }

    public void get(Context ctx) {
        handle(ctx, () -> json(ctx, 200, rules.view(existing(ctx))));
    }

    public void update(Context ctx) {
        handle(ctx, () -> {
            EventRoutingRulesRecord old = existing(ctx);
            RuleRequest current = new RuleRequest(old.getSourceTopicPattern(), old.getDestinationBrokerId(), old.getFilterExpression(),
                    old.getRuleStatus());
            Optional<EventRoutingRulesRecord> updated = rules.update(old.getRuleId(), RuleRequest.from(body(ctx), current));
            changed.run();
            json(ctx, 200, rules.view(updated.orElseThrow(() -> notFound(old.getRuleId().toString()))));
        });
    }

    public void delete(Context ctx) {
        handle(ctx, () -> {
            EventRoutingRulesRecord old = existing(ctx);
            rules.delete(old.getRuleId());
            changed.run();
            ctx.status(204);
        });
    }

    private EventRoutingRulesRecord existing(Context ctx) {
        String text = ctx.pathParam("id");
        UUID id;
        try {
            id = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new RuleProblem(400, "INVALID_RULE_ID", "id", "'" + text + "' is not a rule UUID");
        }
        return rules.find(id).orElseThrow(() -> notFound(text));
    }

    private static RuleProblem notFound(String id) {
        return new RuleProblem(404, "UNKNOWN_RULE", "id", "no routing rule with id " + id);
    }

    /** The request body as a JSON object; a 400 {@link RuleProblem} naming {@code body} otherwise. */
    public static Map<String, Object> body(Context ctx) {
        try {
            Map<String, Object> body = JSON.readValue(ctx.bodyAsBytes(), new TypeReference<Map<String, Object>>() { });
            if (body == null) {
                throw new RuleProblem(400, "MALFORMED_JSON", "body", "the body must be a JSON object");
            }
            return body;
        } catch (IOException e) {
            throw new RuleProblem(400, "MALFORMED_JSON", "body", "the body must be a JSON object: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException json
                    ? json.getOriginalMessage() : e.getMessage()));
        }
    }

    /** Runs {@code action}, answering a {@link RuleProblem} it throws with the JSON error body. */
    public static void handle(Context ctx, Runnable action) {
        try {
            action.run();
        } catch (RuleProblem problem) {
            error(ctx, problem.status(), problem.code(), problem.field(), problem.getMessage());
        }
    }
}
