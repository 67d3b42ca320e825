package io.meshwork.connectors.links;

import io.meshwork.core.config.InvalidSettingException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the links of one region are run, beyond the topology.
 *
 * @param replicationFactor     replication factor of every topic MirrorMaker or its Connect
 *                              workers create (arrival topics and internal topics); at most the
 *                              number of brokers per regional cluster
 * @param tasksMax              most tasks per link; a task carries a share of the link topic's
 *                              partitions
 * @param refreshTopicsInterval how often MirrorMaker looks for new link topics and partitions;
 *                              whole seconds, because MirrorMaker takes seconds
 */
public record LinkSettings(int replicationFactor, int tasksMax, Duration refreshTopicsInterval) {

    /**
     * Validates the settings, so that a bad one fails when the mesh starts rather than inside
     * MirrorMaker.
     *
     * @param replicationFactor     1 to 32767
     * @param tasksMax              at least 1
     * @param refreshTopicsInterval a positive whole number of seconds
     * @throws IllegalArgumentException if a value is out of range
     * @throws NullPointerException     if the interval is null
     */
    public LinkSettings {
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw InvalidSettingException.invalid(LinksKeys.REPLICATION_FACTOR, replicationFactor, "must be within 1.." + Short.MAX_VALUE);
        }
        if (tasksMax < 1) {
            throw InvalidSettingException.invalid(LinksKeys.TASKS_MAX, tasksMax, "must be at least 1");
        }
        Objects.requireNonNull(refreshTopicsInterval, LinksKeys.REFRESH_TOPICS_INTERVAL);
        if (refreshTopicsInterval.isNegative() || refreshTopicsInterval.isZero() || refreshTopicsInterval.getNano() != 0) {
            throw InvalidSettingException.invalid(LinksKeys.REFRESH_TOPICS_INTERVAL, refreshTopicsInterval,
                    "must be a positive whole number of seconds");
        }
    }

    /** @return settings for the single-broker clusters of the embedded mesh: replication 1, one task, refresh every 5 s */
    public static LinkSettings embedded() {
        return new LinkSettings(1, 1, Duration.ofSeconds(5));
    }

    /** @return settings for clusters of at least three brokers: replication 3, up to four tasks, refresh every minute */
    public static LinkSettings production() {
        return new LinkSettings(3, 4, Duration.ofMinutes(1));
    }
}
