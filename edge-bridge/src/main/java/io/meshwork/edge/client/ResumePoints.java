package io.meshwork.edge.client;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last resume token seen per subscription, so that a resubscription resumes after the last
 * event delivered (DESIGN.md 2.6): a durable one gets every event after it, a non-durable one is
 * told in its first delivery's {@code dropped_before} how many it missed meanwhile. An event does
 * not name its subscription; it belongs to every subscription whose pattern matches its topic
 * (give each durable subscription of one stream its own topics, or use one stream per durable
 * subscription). Consumer group members carry no token: the group's other members take their
 * events while they are away.
 */
final class ResumePoints {

    private final Map<SubscriptionKey, String> tokens = new LinkedHashMap<>();

    /** Notes the token of a delivered event for each subscription it matches. */
    synchronized void seen(EventEnvelope event, Iterable<SubscriptionRequest> subscriptions) {
        if (event.getResumeToken().isEmpty()) {
            return;
        }
        TopicName topic;
        try {
            topic = TopicName.of(event.getTopic());
        } catch (IllegalArgumentException e) {
            return;
        }
        for (SubscriptionRequest subscription : subscriptions) {
            if (resumable(subscription) && TopicPattern.parse(subscription.getTopicPattern()).matches(topic)) {
                tokens.put(SubscriptionKey.of(subscription), event.getResumeToken());
            }
        }
    }

    /**
     * Notes the start position an edge confirmed for a subscription (the token on its
     * {@code SUBSCRIBED} frame), so that a subscription that loses its edge before its first event
     * resumes where it started instead of at the end of the log.
     */
    synchronized void confirmed(StreamControl control, String token, Map<SubscriptionKey, SubscriptionRequest> subscriptions) {
        if (control.getType() != StreamControl.Type.SUBSCRIBED || token.isEmpty()) {
            return;
        }
        SubscriptionKey key = SubscriptionKey.of(control);
        SubscriptionRequest subscription = subscriptions.get(key);
        if (subscription != null && resumable(subscription)) {
            tokens.put(key, token);
        }
    }

    /** The request to send again, with the last token seen, if any. */
    synchronized SubscriptionRequest resume(SubscriptionRequest subscription) {
        String token = tokens.get(SubscriptionKey.of(subscription));
        return token == null || !resumable(subscription) ? subscription : subscription.toBuilder().setResumeToken(token).build();
    }

    synchronized void forget(SubscriptionKey key) {
        tokens.remove(key);
    }

    /** Whether a refused token may be dropped: a non-durable subscription restarts live rather than not at all. */
    static boolean isDurable(SubscriptionRequest subscription) {
        return "durable".equals(subscription.getDeliveryPolicy());
    }

    private static boolean resumable(SubscriptionRequest subscription) {
        return subscription.getGroup().isEmpty();
    }
}
