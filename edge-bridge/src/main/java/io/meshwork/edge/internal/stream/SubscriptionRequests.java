package io.meshwork.edge.internal.stream;

import io.meshwork.core.selector.InvalidSelectorException;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules every subscriber stream applies to a {@code SubscriptionRequest}, whatever the
 * protocol (WebSocket, gRPC), with the error codes clients see in {@code ERROR} control frames.
 */
public final class SubscriptionRequests {

    /** Largest request accepted; larger ones get {@code FRAME_TOO_LARGE}. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    private SubscriptionRequests() {
    }

    /** Longest consumer group name accepted. */
    public static final int MAX_GROUP_LENGTH = 128;

    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /**
     * A request that passed every rule, with its pattern and selector parsed once.
     *
     * @param group the consumer group, empty when the subscriber is on its own
     */
    public record Valid(SubscriptionRequest request, TopicPattern pattern, Selector selector, DeliveryPolicy policy,
                        Optional<String> group) {

        public Valid {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(selector, "selector");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(group, "group");
        }

        public boolean isSubscribe() {
            return request.getAction() == SubscriptionRequest.Action.SUBSCRIBE;
        }
    }

    /**
     * Checks a request.
     *
     * @throws Refusal with {@code INVALID_ACTION}, {@code INVALID_TOPIC_PATTERN},
     *                 {@code INVALID_FILTER}, {@code INVALID_DELIVERY_POLICY}, {@code INVALID_GROUP}
     *                 or {@code INVALID_RESUME_TOKEN} (naming {@code action}, {@code topic_pattern},
     *                 {@code filter_expression}, {@code delivery_policy}, {@code group},
     *                 {@code resume_token})
     */
    public static Valid validate(SubscriptionRequest request) {
        return validate(request, false);
    }

    /**
     * Checks a request; with {@code countsFailoverGaps} (the edge counts what a non-durable
     * subscription missed while it moved from a failed edge) a non-durable subscription not in a
     * group may carry a {@code resume_token} too.
     *
     * @throws Refusal as {@link #validate(SubscriptionRequest)}
     */
    public static Valid validate(SubscriptionRequest request, boolean countsFailoverGaps) {
        if (request.getAction() == SubscriptionRequest.Action.UNRECOGNIZED) {
            throw new Refusal(ClientError.INVALID_ACTION, "action", "action must be SUBSCRIBE or UNSUBSCRIBE");
        }
        if (request.getTopicPattern().isEmpty()) {
            throw new Refusal(ClientError.INVALID_TOPIC_PATTERN, "topic_pattern", "topic_pattern is required");
        }
        TopicPattern pattern;
        try {
            pattern = TopicPattern.parse(request.getTopicPattern());
        } catch (InvalidTopicException e) {
            throw new Refusal(ClientError.INVALID_TOPIC_PATTERN, "topic_pattern", e.getMessage());
        }
        Selector selector;
        try {
            selector = Selector.parse(request.getFilterExpression());
        } catch (InvalidSelectorException e) {
            throw new Refusal(ClientError.INVALID_FILTER, "filter_expression", e.getMessage());
        }
        DeliveryPolicy policy = DeliveryPolicy.fromWire(request.getDeliveryPolicy()).orElseThrow(() ->
                new Refusal(ClientError.INVALID_DELIVERY_POLICY, "delivery_policy", "unknown delivery_policy '"
                        + request.getDeliveryPolicy() + "'; expected one of " + DeliveryPolicy.wireNames()));
        if (!request.getResumeToken().isEmpty() && policy != DeliveryPolicy.DURABLE && !countsFailoverGaps) {
            throw new Refusal(ClientError.INVALID_RESUME_TOKEN, "resume_token",
                    "resume_token is only accepted with delivery_policy 'durable', not '" + policy.wireName()
                            + "' (this edge does not count failover gaps: routed delivery, or edge.failover.gap.count.max=0)");
        }
        Optional<String> group = group(request.getGroup());
        if (!request.getResumeToken().isEmpty() && policy != DeliveryPolicy.DURABLE && group.isPresent()) {
            // While one member is away the group's other members take its events: nothing to resume or count.
            throw new Refusal(ClientError.INVALID_RESUME_TOKEN, "resume_token",
                    "resume_token is not accepted with a group: the group's other members take its events meanwhile");
        }
        if (group.isPresent() && policy == DeliveryPolicy.DURABLE) {
            // A durable subscription reads from its own Kafka position; a group shares one stream of events.
            throw new Refusal(ClientError.INVALID_GROUP, "group", "consumer groups do not take delivery_policy 'durable'");
        }
        return new Valid(request, pattern, selector, policy, group);
    }

    /**
     * A consumer group name by the rules of every protocol (MQTT 5 clients pass it as a user property).
     *
     * @return empty for an empty name (no group)
     * @throws Refusal {@code INVALID_GROUP} naming {@code group} for a name too long or with other characters
     */
    public static Optional<String> group(String group) {
        if (group.isEmpty()) {
            return Optional.empty();
        }
        if (group.length() > MAX_GROUP_LENGTH) {
            throw new Refusal(ClientError.INVALID_GROUP, "group", "group name of " + group.length()
                    + " characters exceeds the limit of " + MAX_GROUP_LENGTH);
        }
        if (!GROUP_NAME.matcher(group).matches()) {
            throw new Refusal(ClientError.INVALID_GROUP, "group", "group name '" + group
                    + "' may use only letters, digits, '.', '_' and '-'");
        }
        return Optional.of(group);
    }
}
