package io.meshwork.connectors.links;

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
            throw new IllegalArgumentException("replicationFactor must be within 1.." + Short.MAX_VALUE
                    + ", was " + replicationFactor);
        }
        if (tasksMax < 1) {
            throw new IllegalArgumentException("tasksMax must be at least 1, was " + tasksMax);
        }
        Objects.requireNonNull(refreshTopicsInterval, "refreshTopicsInterval");
        if (refreshTopicsInterval.isNegative() || refreshTopicsInterval.isZero() || refreshTopicsInterval.getNano() != 0) {
            throw new IllegalArgumentException("refreshTopicsInterval must be a positive whole number of seconds, was "
                    + refreshTopicsInterval);
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
