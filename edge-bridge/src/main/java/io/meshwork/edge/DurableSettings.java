package io.meshwork.edge;

import io.meshwork.core.config.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the edge serves durable subscriptions ({@code delivery_policy: durable}) and pushes back on
 * publishers while one of them lags.
 *
 * @param window          events one durable subscription may have handed to its connection and not
 *                        yet written to the client; its Kafka reader waits beyond it
 *                        ({@code edge.durable.window})
 * @param backpressureLag lag (records of {@code mesh.events} not yet read by the subscription) at
 *                        which it is flagged BACKPRESSURED ({@code edge.durable.backpressure.lag})
 * @param recoverLag      lag at or below which a flagged subscription has recovered; below
 *                        {@code backpressureLag}, so the flag does not flap
 *                        ({@code edge.durable.backpressure.recover.lag})
 * @param throttle        whether publishes on the topics a backpressured subscription matches are
 *                        refused with THROTTLED while it lags ({@code edge.backpressure.throttle})
 * @param retryAfter      what a throttled publisher is told to wait ({@code edge.backpressure.retry.after})
 * @param webhooks        URLs told (POST JSON) when a subscription becomes backpressured and when it
 *                        recovers ({@code edge.backpressure.webhooks})
 * @param webhookTimeout  how long one webhook call may take ({@code edge.backpressure.webhook.timeout})
 * @param webhookRetries  further attempts after a failed webhook call ({@code edge.backpressure.webhook.retries})
 * @param tokenSecret     key of the resume tokens' HMAC, the same on every edge of the region
 *                        ({@code edge.durable.token.secret}); {@code null}: derived from the region
 *                        name, which detects corrupted tokens but not forged ones
 * @param gapCountMax     records of {@code mesh.events} an edge reads at most to count what a
 *                        non-durable subscription resumed with a token missed while it had no edge
 *                        ({@code edge.failover.gap.count.max}); beyond it the rest of the gap is
 *                        reported as its offsets' difference, an upper bound. 0: non-durable
 *                        deliveries carry no resume token and a non-durable resume is refused
 */
public record DurableSettings(int window, long backpressureLag, long recoverLag, boolean throttle, Duration retryAfter,
                              List<URI> webhooks, Duration webhookTimeout, int webhookRetries, String tokenSecret,
                              long gapCountMax) {

    /** Default window: 256 events per durable subscription. */
    public static final int DEFAULT_WINDOW = 256;
    /** Default BACKPRESSURED threshold: 10,000 records behind. */
    public static final long DEFAULT_BACKPRESSURE_LAG = 10_000;
    /** Default recovery: at half the threshold. */
    public static final long DEFAULT_RECOVER_LAG = 5_000;
    /** Largest window: well below the unsent frames at which a connection is dropped as a slow consumer. */
    public static final int MAX_WINDOW = 5_000;
    /** Default bound of a failover gap count: 100,000 records read (well under a second of reading). */
    public static final long DEFAULT_GAP_COUNT_MAX = 100_000;

    /** Flag and tell, do not throttle, no webhooks, default windows and thresholds. */
    public static final DurableSettings DEFAULTS = new DurableSettings(DEFAULT_WINDOW, DEFAULT_BACKPRESSURE_LAG,
            DEFAULT_RECOVER_LAG, false, Duration.ofSeconds(1), List.of(), Duration.ofSeconds(2), 2, null, DEFAULT_GAP_COUNT_MAX);

    public DurableSettings {
        require(window >= 1 && window <= MAX_WINDOW, EdgeKeys.DURABLE_WINDOW, window, "must be within 1.." + MAX_WINDOW);
        require(backpressureLag >= 1, EdgeKeys.DURABLE_BACKPRESSURE_LAG, backpressureLag, "must be positive");
        require(recoverLag >= 0 && recoverLag < backpressureLag, EdgeKeys.DURABLE_RECOVER_LAG, recoverLag,
                "must be at least 0 and below " + EdgeKeys.DURABLE_BACKPRESSURE_LAG + " (" + backpressureLag + ")");
        require(retryAfter != null && retryAfter.toSeconds() >= 1 && retryAfter.toHours() < 1, EdgeKeys.BACKPRESSURE_RETRY_AFTER,
                retryAfter, "must be within 1s..59m (Retry-After counts whole seconds)");
        webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
        for (URI hook : webhooks) {
            require(hook.isAbsolute() && ("http".equals(hook.getScheme()) || "https".equals(hook.getScheme())),
                    EdgeKeys.BACKPRESSURE_WEBHOOKS, hook, "every entry must be an absolute http or https URL");
        }
        require(webhookTimeout != null && !webhookTimeout.isNegative() && !webhookTimeout.isZero() && webhookTimeout.toMinutes() < 5,
                EdgeKeys.BACKPRESSURE_WEBHOOK_TIMEOUT, webhookTimeout, "must be within 1ms..5m");
        require(webhookRetries >= 0 && webhookRetries <= 10, EdgeKeys.BACKPRESSURE_WEBHOOK_RETRIES, webhookRetries,
                "must be within 0..10");
        require(tokenSecret == null || tokenSecret.length() >= 16, EdgeKeys.DURABLE_TOKEN_SECRET, "(hidden)",
                "must have at least 16 characters");
        require(gapCountMax >= 0, EdgeKeys.FAILOVER_GAP_COUNT_MAX, gapCountMax, "must be at least 0");
    }

    /** These settings with throttling {@code on} or off. */
    public DurableSettings withThrottle(boolean on) {
        return new DurableSettings(window, backpressureLag, recoverLag, on, retryAfter, webhooks, webhookTimeout,
                webhookRetries, tokenSecret, gapCountMax);
    }

    /** These settings with a BACKPRESSURED threshold of {@code lag} and recovery at {@code recover}. */
    public DurableSettings withBackpressure(long lag, long recover) {
        return new DurableSettings(window, lag, recover, throttle, retryAfter, webhooks, webhookTimeout, webhookRetries,
                tokenSecret, gapCountMax);
    }

    /** These settings with {@code hooks} called on every change of a subscription's BACKPRESSURED state. */
    public DurableSettings withWebhooks(List<URI> hooks) {
        return new DurableSettings(window, backpressureLag, recoverLag, throttle, retryAfter, hooks, webhookTimeout,
                webhookRetries, tokenSecret, gapCountMax);
    }

    /** These settings with a window of {@code events} per durable subscription. */
    public DurableSettings withWindow(int events) {
        return new DurableSettings(events, backpressureLag, recoverLag, throttle, retryAfter, webhooks, webhookTimeout,
                webhookRetries, tokenSecret, gapCountMax);
    }

    /** These settings with failover gaps counted up to {@code records} read (0: not counted, no tokens on non-durable deliveries). */
    public DurableSettings withGapCountMax(long records) {
        return new DurableSettings(window, backpressureLag, recoverLag, throttle, retryAfter, webhooks, webhookTimeout,
                webhookRetries, tokenSecret, records);
    }

    @Override
    public String toString() {
        // The secret stays out of logs.
        return "DurableSettings[window=" + window + ", backpressureLag=" + backpressureLag + ", recoverLag=" + recoverLag
                + ", throttle=" + throttle + ", retryAfter=" + retryAfter + ", webhooks=" + webhooks
                + ", webhookTimeout=" + webhookTimeout + ", webhookRetries=" + webhookRetries
                + ", tokenSecret=" + (tokenSecret == null ? "(derived)" : "(set)") + ", gapCountMax=" + gapCountMax + "]";
    }

    private static void require(boolean valid, String key, Object value, String rule) {
        InvalidSettingException.require(valid, key, Objects.toString(value), rule);
    }
}
