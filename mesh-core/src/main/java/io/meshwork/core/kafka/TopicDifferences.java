package io.meshwork.core.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an existing topic has that its {@link TopicSpec} does not want: the pure half of {@link TopicApplier}. */
final class TopicDifferences {

    private TopicDifferences() {
    }

    /**
     * @param partitions        the topic's partition count
     * @param replicationFactor the fewest replicas any of its partitions has
     * @param configs           the topic's effective configs (broker defaults included)
     * @return one description per difference, empty when the topic is as the contract wants it
     */
    static List<String> between(TopicSpec spec, int partitions, int replicationFactor, Map<String, String> configs) {
        List<String> differences = new ArrayList<>();
        if (partitions != spec.partitions()) {
            differences.add("partitions " + partitions + ", contract says " + spec.partitions());
        }
        // More replicas than asked is a sturdier cluster, not a different contract.
        if (replicationFactor < spec.replicationFactor()) {
            differences.add("replication factor " + replicationFactor + ", contract says at least " + spec.replicationFactor());
        }
        spec.configs().forEach((key, wanted) -> {
            String actual = configs.get(key);
            if (!wanted.equals(actual)) {
                differences.add(key + " is " + (actual == null ? "unset" : actual) + ", contract says " + wanted);
            }
        });
        return differences;
    }
}
