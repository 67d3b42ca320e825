package io.meshwork.edge;

import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The edge keys of durable subscriptions and publisher backpressure ({@link DurableSettings}),
 * declared apart from {@link EdgeKeys} only to keep that class short; their names are constants there.
 */
final class DurableKeys {

    private DurableKeys() {
    }

    static void define(ConfigDef keys) {
        keys.define(EdgeKeys.DURABLE_WINDOW, Type.INT, DurableSettings.DEFAULT_WINDOW, Range.between(1, DurableSettings.MAX_WINDOW),
                        Importance.LOW, "Events a durable subscription may have handed to its connection and not yet written to "
                                + "the client; beyond it the edge stops reading Kafka for that subscription, so a slow client "
                                + "costs the edge at most this many events (plus one Kafka fetch). They are queued as control "
                                + "frames are, outside edge.subscriber.queue.*, so the window, not a drop policy, bounds them.")
                .define(EdgeKeys.DURABLE_BACKPRESSURE_LAG, Type.LONG, DurableSettings.DEFAULT_BACKPRESSURE_LAG, Range.atLeast(1),
                        Importance.MEDIUM, "Records of mesh.events a durable subscription may be behind before it is flagged "
                                + "BACKPRESSURED (control frame, metrics, webhooks, and the publish throttle when on).")
                .define(EdgeKeys.DURABLE_RECOVER_LAG, Type.LONG, DurableSettings.DEFAULT_RECOVER_LAG, Range.atLeast(0),
                        Importance.LOW, "Lag at or below which a BACKPRESSURED subscription has recovered; below "
                                + EdgeKeys.DURABLE_BACKPRESSURE_LAG + ", so that the flag does not flap.")
                .define(EdgeKeys.DURABLE_TOKEN_SECRET, Type.PASSWORD, null, Importance.MEDIUM,
                        "Key of the HMAC that makes resume tokens tamper-evident; give every edge of a region the same one, so "
                                + "a token from one edge is accepted by another. Unset: derived from the region name, which "
                                + "detects corrupted tokens but not forged ones. At least 16 characters.")
                .define(EdgeKeys.BACKPRESSURE_THROTTLE, Type.BOOLEAN, false, Importance.MEDIUM,
                        "While a durable subscription is BACKPRESSURED, refuse publishes at this edge on the topics its pattern "
                                + "matches (HTTP 429 with Retry-After, gRPC RESOURCE_EXHAUSTED, MQTT 5 PUBACK 0x97, WebSocket "
                                + "ERROR THROTTLED). Off by default: one slow durable client would otherwise slow every publisher "
                                + "of its topics.")
                .define(EdgeKeys.BACKPRESSURE_RETRY_AFTER, Type.STRING, "1s",
                        ConfigSchema.duration(d -> d.toSeconds() >= 1 && d.toHours() < 1, "1s..59m"), Importance.LOW,
                        "What a throttled publisher is told to wait before retrying (HTTP Retry-After, gRPC RetryInfo).")
                .define(EdgeKeys.BACKPRESSURE_WEBHOOKS, Type.LIST, List.of(), urls(), Importance.MEDIUM,
                        "URLs the edge POSTs {subscription, topic, lag, state, region, edge} to when a durable subscription "
                                + "becomes BACKPRESSURED (state backpressured) and when it recovers or ends (recovered, ended). "
                                + "Called off the delivery path; failures are logged and retried a bounded number of times.")
                .define(EdgeKeys.BACKPRESSURE_WEBHOOK_TIMEOUT, Type.STRING, "2s",
                        ConfigSchema.duration(d -> d.toMillis() >= 1 && d.toMinutes() < 5, "1ms..5m"), Importance.LOW,
                        "How long one webhook call may take.")
                .define(EdgeKeys.BACKPRESSURE_WEBHOOK_RETRIES, Type.INT, 2, Range.between(0, 10), Importance.LOW,
                        "Further attempts after a failed webhook call (1 s, 2 s, 4 s... apart).")
                .define(EdgeKeys.FAILOVER_GAP_COUNT_MAX, Type.LONG, DurableSettings.DEFAULT_GAP_COUNT_MAX, Range.atLeast(0),
                        Importance.LOW, "Records of mesh.events an edge reads at most to count the events a non-durable "
                                + "subscription missed while it moved from a failed edge (it resubscribes with the resume_token "
                                + "of its last event); the count is its first delivery's dropped_before. Past the bound the "
                                + "unread rest is added as its offsets' difference, an upper bound, never an under-count. 0: "
                                + "non-durable deliveries carry no resume_token and a non-durable resume_token is refused.");
    }

    static DurableSettings build(MeshConfig config) {
        Password secret = config.password(EdgeKeys.DURABLE_TOKEN_SECRET);
        @SuppressWarnings("unchecked")
        List<String> hooks = (List<String>) config.value(EdgeKeys.BACKPRESSURE_WEBHOOKS);
        return new DurableSettings(config.integer(EdgeKeys.DURABLE_WINDOW), config.longValue(EdgeKeys.DURABLE_BACKPRESSURE_LAG),
                config.longValue(EdgeKeys.DURABLE_RECOVER_LAG), config.bool(EdgeKeys.BACKPRESSURE_THROTTLE),
                config.duration(EdgeKeys.BACKPRESSURE_RETRY_AFTER), hooks.stream().map(url -> URI.create(url.strip())).toList(),
                config.duration(EdgeKeys.BACKPRESSURE_WEBHOOK_TIMEOUT), config.integer(EdgeKeys.BACKPRESSURE_WEBHOOK_RETRIES),
                secret == null ? null : secret.value(), config.longValue(EdgeKeys.FAILOVER_GAP_COUNT_MAX));
    }

    private static ConfigDef.Validator urls() {
        return (name, value) -> {
            if (value == null) {
                return;
            }
            for (Object url : (List<?>) value) {
                try {
                    URI uri = new URI(url.toString().strip());
                    if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                        throw new ConfigException(name, url, "not an absolute http or https URL");
                    }
                } catch (URISyntaxException e) {
                    throw new ConfigException(name, url, "not a URL: " + e.getReason());
                }
            }
        };
    }
}
