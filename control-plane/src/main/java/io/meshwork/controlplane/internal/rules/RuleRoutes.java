package io.meshwork.controlplane.internal.rules;

import static io.meshwork.controlplane.internal.JsonAnswers.error;
import static io.meshwork.controlplane.internal.JsonAnswers.json;

import io.javalin.http.Context;
import io.meshwork.controlplane.db.tables.records.EventRoutingRulesRecord;
import io.meshwork.controlplane.internal.ApiProblem;
import io.meshwork.controlplane.internal.JsonRequests;
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

    private final RoutingRules rules;
    private final Runnable changed;

    /** @param changed run after every change (re-syncs the rules' interest) */
    public RuleRoutes(RoutingRules rules, Runnable changed) {
        this.rules = rules;
        this.changed = changed;
    }

    public void create(Context ctx) {
        JsonRequests.handle(ctx, () -> {
            EventRoutingRulesRecord rule = rules.create(RuleRequest.from(JsonRequests.body(ctx), null));
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
        JsonRequests.handle(ctx, () -> json(ctx, 200, rules.view(existing(ctx))));
    }

    public void update(Context ctx) {
        JsonRequests.handle(ctx, () -> {
            EventRoutingRulesRecord old = existing(ctx);
            RuleRequest current = new RuleRequest(old.getSourceTopicPattern(), old.getDestinationBrokerId(), old.getFilterExpression(),
                    old.getRuleStatus());
            Optional<EventRoutingRulesRecord> updated = rules.update(old.getRuleId(), RuleRequest.from(JsonRequests.body(ctx), current));
            changed.run();
            json(ctx, 200, rules.view(updated.orElseThrow(() -> notFound(old.getRuleId().toString()))));
        });
    }

    public void delete(Context ctx) {
        JsonRequests.handle(ctx, () -> {
            EventRoutingRulesRecord old = existing(ctx);
            rules.delete(old.getRuleId());
            changed.run();
            ctx.status(204);
        });
    }

    private EventRoutingRulesRecord existing(Context ctx) {
        UUID id = JsonRequests.pathId(ctx, "INVALID_RULE_ID", "a rule");
        return rules.find(id).orElseThrow(() -> notFound(id.toString()));
    }

    private static ApiProblem notFound(String id) {
        return new ApiProblem(404, "UNKNOWN_RULE", "id", "no routing rule with id " + id);
    }
}
