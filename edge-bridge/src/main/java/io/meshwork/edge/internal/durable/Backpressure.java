package io.meshwork.edge.internal.durable;

import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.DurableSettings;
import io.meshwork.edge.internal.ingress.PublishThrottle;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the edge does while a durable subscription lags past its threshold: logs it, throttles
 * publishes on the topics its pattern matches (when {@code edge.backpressure.throttle} is on), and
 * tells the webhooks; and undoes the throttle when the subscription recovers or ends.
 */
final class Backpressure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Backpressure.class);

    /** The states a webhook document reports. */
    enum State {
        BACKPRESSURED("backpressured"), RECOVERED("recovered"), ENDED("ended");

        private final String wireName;

        State(String wireName) {
            this.wireName = wireName;
        }
    }

    private final String region;
    private final String edgeId;
    private final PublishThrottle throttle;
    private final boolean throttling;
    private final BackpressureWebhooks webhooks;
    private final Set<String> flagged = ConcurrentHashMap.newKeySet();

    Backpressure(String region, String edgeId, DurableSettings settings, PublishThrottle throttle) {
        this.region = region;
        this.edgeId = edgeId;
        this.throttle = throttle;
        this.throttling = settings.throttle();
        this.webhooks = new BackpressureWebhooks(settings.webhooks(), settings.webhookTimeout(), settings.webhookRetries(), region);
    }

    /** {@code subscription} lags {@code lag} records, past its threshold. */
    void flagged(String subscription, TopicPattern pattern, long lag) {
        if (!flagged.add(subscription)) {
            return;
        }
        LOG.info("region {}: durable subscription {} is BACKPRESSURED: {} records behind{}", region, subscription, lag,
                throttling ? "; throttling publishes on " + pattern.value() + " at this edge" : "");
        if (throttling) {
            throttle.throttle(pattern, subscription);
        }
        webhooks.post(document(subscription, pattern, lag, State.BACKPRESSURED));
    }

    /** {@code subscription} is back within bounds ({@link State#RECOVERED}) or gone ({@link State#ENDED}). */
    void cleared(String subscription, TopicPattern pattern, long lag, State state) {
        if (!flagged.remove(subscription)) {
            return;
        }
        LOG.info("region {}: durable subscription {} {}: {} records behind{}", region, subscription, state.wireName, lag,
                throttling ? "; publishes on " + pattern.value() + " no longer throttled for it" : "");
        if (throttling) {
            throttle.lift(pattern, subscription);
        }
        webhooks.post(document(subscription, pattern, lag, state));
    }

    /** Durable subscriptions of this edge flagged now. */
    int flaggedCount() {
        return flagged.size();
    }

    private Map<String, Object> document(String subscription, TopicPattern pattern, long lag, State state) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("subscription", subscription);
        document.put("topic", pattern.value());
        document.put("lag", lag);
        document.put("state", state.wireName);
        document.put("region", region);
        document.put("edge", edgeId);
        document.put("throttled", throttling && state == State.BACKPRESSURED);
        document.put("at", System.currentTimeMillis());
        return document;
    }

    @Override
    public void close() {
        webhooks.close();
    }
}
