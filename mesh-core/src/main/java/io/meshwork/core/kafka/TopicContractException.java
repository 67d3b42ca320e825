package io.meshwork.core.kafka;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A region's cluster does not hold its {@link TopicContract}: topics are missing, or exist with
 * other partitions, replication or configs. The message is one line naming the cluster, every
 * topic and what differs, e.g.
 * {@code us-east-1: topic mesh.interest: cleanup.policy is delete, contract says compact}.
 */
public final class TopicContractException extends RuntimeException {

    /**
     * One thing wrong with one topic.
     *
     * @param topic   the topic
     * @param problem what is wrong, e.g. {@code missing} or {@code partitions 1, contract says 3}
     */
    public record Problem(String topic, String problem) {
        public Problem {
            if (topic == null || topic.isBlank() || problem == null || problem.isBlank()) {
                throw new IllegalArgumentException("a topic problem needs a topic and a description");
            }
        }

        @Override
        public String toString() {
            return "topic " + topic + ": " + problem;
        }
    }

    private final String cluster;
    private final List<Problem> problems;

    /**
     * @param cluster  the cluster (usually its region), as named in the message
     * @param problems at least one
     */
    public TopicContractException(String cluster, List<Problem> problems) {
        super(cluster + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a topic contract exception needs at least one problem");
        }
        this.cluster = cluster;
        this.problems = List.copyOf(problems);
    }

    /** The cluster whose topics differ from the contract. */
    public String cluster() {
        return cluster;
    }

    /** Every difference found, in contract order. */
    public List<Problem> problems() {
        return problems;
    }
}
