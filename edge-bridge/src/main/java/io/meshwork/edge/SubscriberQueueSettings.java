package io.meshwork.edge;

import io.meshwork.core.config.InvalidSettingException;
import java.time.Duration;

/**
 * The bound on what the edge holds for one WebSocket or gRPC subscriber connection that falls
 * behind: beyond it, each subscription's delivery policy decides (DESIGN.md 2.6: drop-oldest,
 * conflate, disconnect).
 *
 * @param maxMessages   events one connection may have queued ({@code edge.subscriber.queue.max.messages})
 * @param maxBytes      bytes of events one connection may have queued, as written on the wire
 *                      ({@code edge.subscriber.queue.max.bytes})
 * @param writeDeadline how long an event of a {@code disconnect} subscription may wait unwritten
 *                      before the connection is disconnected ({@code edge.subscriber.write.deadline})
 */
public record SubscriberQueueSettings(int maxMessages, long maxBytes, Duration writeDeadline) {

    /** Default event limit per connection (the old fixed limit of unsent frames). */
    public static final int DEFAULT_MAX_MESSAGES = 10_000;
    /** Default byte limit per connection: 4 MiB, so 1,000 lagging connections cost at most ~4 GiB. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
    /** Default write deadline of {@code disconnect} subscriptions. */
    public static final Duration DEFAULT_WRITE_DEADLINE = Duration.ofSeconds(30);
    /** Largest event limit accepted. */
    public static final int MAX_MESSAGES = 1_000_000;
    /** Smallest byte limit accepted: room for a few events of the default payload limit's size. */
    public static final long MIN_BYTES = 64 * 1024;
    /** Largest byte limit accepted. */
    public static final long MAX_BYTES = 1024L * 1024 * 1024;
    /** 10,000 events, 4 MiB, 30 s. */
    public static final SubscriberQueueSettings DEFAULTS =
            new SubscriberQueueSettings(DEFAULT_MAX_MESSAGES, DEFAULT_MAX_BYTES, DEFAULT_WRITE_DEADLINE);

    public SubscriberQueueSettings {
        InvalidSettingException.require(maxMessages >= 1 && maxMessages <= MAX_MESSAGES, EdgeKeys.SUBSCRIBER_QUEUE_MAX_MESSAGES,
                Integer.toString(maxMessages), "must be within 1.." + MAX_MESSAGES);
        InvalidSettingException.require(maxBytes >= MIN_BYTES && maxBytes <= MAX_BYTES, EdgeKeys.SUBSCRIBER_QUEUE_MAX_BYTES,
                Long.toString(maxBytes), "must be within " + MIN_BYTES + ".." + MAX_BYTES);
        InvalidSettingException.require(writeDeadline != null && writeDeadline.toMillis() >= 100 && writeDeadline.toMinutes() <= 10,
                EdgeKeys.SUBSCRIBER_WRITE_DEADLINE, String.valueOf(writeDeadline), "must be within 100ms..10m");
    }
}
