package io.meshwork.controlplane.internal.rules;

import io.meshwork.controlplane.internal.ApiProblem;
import io.meshwork.core.selector.InvalidSelectorException;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import java.util.Map;
import java.util.UUID;

/**
 * A routing rule as a client sends it, checked field by field with the mesh's own rules: the
 * pattern by {@link TopicPattern}, the filter by the selector compiler.
 *
 * @param pattern       {@code sourceTopicPattern}
 * @param destination   {@code destinationBrokerId}
 * @param filter        {@code filterExpression}, or {@code null} for none
 * @param status        {@code status}: ACTIVE (default) or SUSPENDED
 */
public record RuleRequest(String pattern, UUID destination, String filter, String status) {

    public static final String PATTERN = "sourceTopicPattern";
    public static final String DESTINATION = "destinationBrokerId";
    public static final String FILTER = "filterExpression";
    public static final String STATUS = "status";

    /** Reads and checks a JSON body; {@code fallback} supplies fields a partial update leaves out. */
    public static RuleRequest from(Map<String, Object> body, RuleRequest fallback) {
        String pattern = text(body, PATTERN, fallback == null ? null : fallback.pattern());
        if (pattern == null) {
            throw new ApiProblem(400, "MISSING_FIELD", PATTERN, "'" + PATTERN + "' is required");
        }
        try {
            TopicPattern.parse(pattern);
        } catch (InvalidTopicException e) {
            throw new ApiProblem(400, "INVALID_TOPIC_PATTERN", PATTERN, e.getMessage());
        }
        String destinationText = text(body, DESTINATION, fallback == null ? null : fallback.destination().toString());
        if (destinationText == null) {
            throw new ApiProblem(400, "MISSING_FIELD", DESTINATION, "'" + DESTINATION + "' is required");
        }
        UUID destination;
        try {
            destination = UUID.fromString(destinationText);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(400, "INVALID_BROKER_ID", DESTINATION, "'" + DESTINATION + "' must be a broker UUID, was '"
                    + destinationText + "'");
        }
        String filter = body.containsKey(FILTER) ? text(body, FILTER, null) : fallback == null ? null : fallback.filter();
        if (filter != null && filter.isBlank()) {
            filter = null;
        }
        if (filter != null) {
            try {
                Selector.parse(filter);
            } catch (InvalidSelectorException e) {
                throw new ApiProblem(400, "INVALID_FILTER", FILTER, e.getMessage());
            }
        }
        String status = text(body, STATUS, fallback == null ? "ACTIVE" : fallback.status());
        if (!"ACTIVE".equals(status) && !"SUSPENDED".equals(status)) {
            throw new ApiProblem(400, "INVALID_STATUS", STATUS, "'" + STATUS + "' must be ACTIVE or SUSPENDED, was '" + status + "'");
        }
        return new RuleRequest(pattern, destination, filter, status);
    }

    private static String text(Map<String, Object> body, String field, String fallback) {
        Object value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw new ApiProblem(400, "INVALID_FIELD", field, "'" + field + "' must be a string");
        }
        return text;
    }
}
