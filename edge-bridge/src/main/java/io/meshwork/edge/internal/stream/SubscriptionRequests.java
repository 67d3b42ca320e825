package io.meshwork.edge.internal.stream;

import io.meshwork.core.selector.InvalidSelectorException;
import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.schema.v1.SubscriptionRequest;

/**
 * The rules every subscriber stream applies to a {@code SubscriptionRequest}, whatever the
 * protocol (WebSocket, gRPC), with the error codes clients see in {@code ERROR} control frames.
 */
public final class SubscriptionRequests {

    /** Largest request accepted; larger ones get {@code FRAME_TOO_LARGE}. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    private SubscriptionRequests() {
    }

    /** A request that passed every rule, with its pattern and selector parsed once. */
    public record Valid(SubscriptionRequest request, TopicPattern pattern, Selector selector) {

        public boolean isSubscribe() {
            return request.getAction() == SubscriptionRequest.Action.SUBSCRIBE;
        }
    }

    /**
     * Checks a request.
     *
     * @throws Refusal with {@code INVALID_ACTION}, {@code INVALID_TOPIC_PATTERN} or
     *                 {@code INVALID_FILTER} (naming {@code action}, {@code topic_pattern},
     *                 {@code filter_expression})
     */
    public static Valid validate(SubscriptionRequest request) {
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
        try {
            return new Valid(request, pattern, Selector.parse(request.getFilterExpression()));
        } catch (InvalidSelectorException e) {
            throw new Refusal(ClientError.INVALID_FILTER, "filter_expression", e.getMessage());
        }
    }
}
