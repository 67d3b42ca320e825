package io.meshwork.controlplane.internal.acls;

import io.meshwork.controlplane.internal.ApiProblem;
import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import java.util.Map;

/**
 * An ACL entry as a client sends it to {@code POST /v1/acls}, checked field by field: a 400 naming
 * the field for a missing or blank principal, an action other than publish|subscribe, an effect
 * other than allow|deny, or a topic filter the mesh's {@link TopicPattern} refuses.
 */
public record AclRequest(String principal, AclEntry.Action action, AclEntry.Effect effect, TopicPattern filter) {

    public static final String PRINCIPAL = "principal";
    public static final String ACTION = "action";
    public static final String EFFECT = "effect";
    public static final String FILTER = "topicFilter";

    /** Reads and checks a JSON body. */
    public static AclRequest from(Map<String, Object> body) {
        String principal = required(body, PRINCIPAL);
        if (principal.isBlank()) {
            throw new ApiProblem(400, "INVALID_PRINCIPAL", PRINCIPAL, "'" + PRINCIPAL + "' must not be blank");
        }
        if (principal.length() > 256) {
            throw new ApiProblem(400, "INVALID_PRINCIPAL", PRINCIPAL, "'" + PRINCIPAL + "' is longer than 256 characters");
        }
        AclEntry.Action action;
        try {
            action = AclEntry.Action.parse(required(body, ACTION));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "INVALID_ACTION", ACTION, "'" + ACTION + "' " + e.getMessage());
        }
        AclEntry.Effect effect;
        try {
            effect = AclEntry.Effect.parse(required(body, EFFECT));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "INVALID_EFFECT", EFFECT, "'" + EFFECT + "' " + e.getMessage());
        }
        TopicPattern filter;
        try {
            filter = TopicPattern.parse(required(body, FILTER));
        } catch (InvalidTopicException e) {
            throw new ApiProblem(400, "INVALID_TOPIC_FILTER", FILTER, e.getMessage());
        }
        return new AclRequest(principal, action, effect, filter);
    }

    private static String required(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            throw new ApiProblem(400, "MISSING_FIELD", field, "'" + field + "' is required");
        }
        if (!(value instanceof String text)) {
            throw new ApiProblem(400, "INVALID_FIELD", field, "'" + field + "' must be a string");
        }
        return text;
    }
}
