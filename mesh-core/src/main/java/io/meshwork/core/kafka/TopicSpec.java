package io.meshwork.core.kafka;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One topic of the {@link TopicContract}: what a region's cluster must hold under {@code name}.
 *
 * @param name              the topic
 * @param partitions        exact partition count (ordering and the link's partition-to-partition copy depend on it)
 * @param replicationFactor replicas it is created with; an existing topic may have more, never fewer
 * @param configs           topic configs it is created with, each checked on an existing topic
 *                          (always {@code cleanup.policy}, plus retention and {@code min.insync.replicas} where set)
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be at least 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("topic " + name + ": replication factor must be at least 1, was " + replicationFactor);
        }
        Objects.requireNonNull(configs, "configs");
        // Sorted, so that messages listing differences read the same on every run.
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
    }

    /** The request that creates this topic. */
    public NewTopic newTopic() {
        return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor)).configs(configs);
    }
}
