package io.meshwork.core.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * How much a link's spool ({@code mesh.link.<neighbour>}) keeps while its link is down: the
 * seed sizes the spool at 50 GB per link, kept for up to seven days. Part of the region's
 * {@link TopicContract}: applied when the topic is created, and checked when it exists (change an
 * existing spool with {@code kafka-configs.sh} and give every service of the region the same limits).
 *
 * @param bytesPerLink most bytes the spool of one link holds, over all its partitions
 * @param time         longest an event waits in the spool
 */
public record SpoolRetention(long bytesPerLink, Duration time) {

    /** The seed's spool: 50 GB per link, seven days. */
    public static final SpoolRetention SEED = new SpoolRetention(50L * 1024 * 1024 * 1024, Duration.ofDays(7));

    public SpoolRetention {
        if (bytesPerLink < 1024 * 1024) {
            throw new IllegalArgumentException("spool.retention.bytes must be at least 1 MiB per link, was " + bytesPerLink);
        }
        if (time == null || time.toMinutes() < 1) {
            throw new IllegalArgumentException("spool.retention.time must be at least one minute, was " + time);
        }
    }

    /** Topic configs of a spool with {@code partitions} partitions (Kafka's retention.bytes is per partition). */
    public Map<String, String> topicConfigs(int partitions) {
        return Map.of("retention.bytes", Long.toString(Math.max(1, bytesPerLink / partitions)),
                "retention.ms", Long.toString(time.toMillis()));
    }
}
