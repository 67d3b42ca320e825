package io.meshwork.controlplane.internal.rules;

import static io.meshwork.controlplane.db.Tables.BROKER_NODES;
import static io.meshwork.controlplane.db.Tables.EVENT_ROUTING_RULES;

import io.meshwork.controlplane.db.tables.records.EventRoutingRulesRecord;
import io.meshwork.controlplane.internal.ApiProblem;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;

/**
 * Static forwarding rules ({@code event_routing_rules}): events matching a pattern (and filter)
 * are forwarded to the destination broker's region whatever its subscribers. Every change is
 * followed by {@link RuleInterest#sync}, so routers see ACTIVE rules as standing interest.
 */
public final class RoutingRules {

    /** A rule with its destination's region, as routers need it. */
    public record ActiveRule(UUID id, String pattern, String filter, String region) {
    }

    private final DSLContext dsl;

    public RoutingRules(DSLContext dsl) {
        this.dsl = dsl;
    }

    public EventRoutingRulesRecord create(RuleRequest request) {
        requireBroker(request.destination());
        try {
            return dsl.insertInto(EVENT_ROUTING_RULES)
                    .set(EVENT_ROUTING_RULES.SOURCE_TOPIC_PATTERN, request.pattern())
                    .set(EVENT_ROUTING_RULES.DESTINATION_BROKER_ID, request.destination())
                    .set(EVENT_ROUTING_RULES.FILTER_EXPRESSION, request.filter())
                    .set(EVENT_ROUTING_RULES.RULE_STATUS, request.status())
                    .returning().fetchOne();
        } catch (IntegrityConstraintViolationException e) {
            throw duplicate(request, e);
        }
    }

    public Optional<EventRoutingRulesRecord> find(UUID id) {
        return dsl.selectFrom(EVENT_ROUTING_RULES).where(EVENT_ROUTING_RULES.RULE_ID.eq(id)).fetchOptional();
    }

    public List<EventRoutingRulesRecord> list(String status) {
        return dsl.selectFrom(EVENT_ROUTING_RULES)
                .where(status == null ? DSL.trueCondition() : EVENT_ROUTING_RULES.RULE_STATUS.eq(status))
                .orderBy(EVENT_ROUTING_RULES.CREATED_AT, EVENT_ROUTING_RULES.RULE_ID).fetch();
    }

    /** Replaces a rule's fields; empty when there is no such rule. */
    public Optional<EventRoutingRulesRecord> update(UUID id, RuleRequest request) {
        requireBroker(request.destination());
        try {
            return dsl.update(EVENT_ROUTING_RULES)
                    .set(EVENT_ROUTING_RULES.SOURCE_TOPIC_PATTERN, request.pattern())
                    .set(EVENT_ROUTING_RULES.DESTINATION_BROKER_ID, request.destination())
                    .set(EVENT_ROUTING_RULES.FILTER_EXPRESSION, request.filter())
                    .set(EVENT_ROUTING_RULES.RULE_STATUS, request.status())
                    .set(EVENT_ROUTING_RULES.UPDATED_AT, OffsetDateTime.now())
                    .where(EVENT_ROUTING_RULES.RULE_ID.eq(id))
                    .returning().fetchOptional();
        } catch (IntegrityConstraintViolationException e) {
            throw duplicate(request, e);
        }
    }

    public boolean delete(UUID id) {
        return dsl.deleteFrom(EVENT_ROUTING_RULES).where(EVENT_ROUTING_RULES.RULE_ID.eq(id)).execute() == 1;
    }

    /** The ACTIVE rules with the region of their destination broker. */
    public List<ActiveRule> active() {
        return dsl.select(EVENT_ROUTING_RULES.RULE_ID, EVENT_ROUTING_RULES.SOURCE_TOPIC_PATTERN, EVENT_ROUTING_RULES.FILTER_EXPRESSION,
                        BROKER_NODES.DATACENTER_REGION)
                .from(EVENT_ROUTING_RULES).join(BROKER_NODES).on(BROKER_NODES.BROKER_ID.eq(EVENT_ROUTING_RULES.DESTINATION_BROKER_ID))
                .where(EVENT_ROUTING_RULES.RULE_STATUS.eq("ACTIVE"))
                .fetch(r -> new ActiveRule(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** The JSON view of a rule. */
    public Map<String, Object> view(EventRoutingRulesRecord rule) {
        Record broker = dsl.select(BROKER_NODES.BROKER_NAME, BROKER_NODES.DATACENTER_REGION).from(BROKER_NODES)
                .where(BROKER_NODES.BROKER_ID.eq(rule.getDestinationBrokerId())).fetchOne();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("ruleId", rule.getRuleId().toString());
        view.put(RuleRequest.PATTERN, rule.getSourceTopicPattern());
        view.put(RuleRequest.DESTINATION, rule.getDestinationBrokerId().toString());
        view.put("destinationBroker", broker == null ? null : broker.get(BROKER_NODES.BROKER_NAME));
        view.put("destinationRegion", broker == null ? null : broker.get(BROKER_NODES.DATACENTER_REGION));
        view.put(RuleRequest.FILTER, rule.getFilterExpression());
        view.put(RuleRequest.STATUS, rule.getRuleStatus());
        view.put("createdAt", rule.getCreatedAt().toInstant().toString());
        view.put("updatedAt", rule.getUpdatedAt().toInstant().toString());
        return view;
    }

    private void requireBroker(UUID id) {
        if (!dsl.fetchExists(BROKER_NODES, BROKER_NODES.BROKER_ID.eq(id))) {
            throw new ApiProblem(400, "UNKNOWN_BROKER", RuleRequest.DESTINATION, "no broker with id " + id + " in the directory");
        }
    }

    private static ApiProblem duplicate(RuleRequest request, IntegrityConstraintViolationException e) {
        if (e.getMessage() != null && e.getMessage().contains("uk_topic_broker")) {
            return new ApiProblem(409, "DUPLICATE_RULE", RuleRequest.PATTERN, "a rule for pattern '" + request.pattern()
                    + "' to broker " + request.destination() + " already exists");
        }
        throw e;
    }
}
