package io.meshwork.embedded.kafka;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates a topic and waits until the broker can serve every partition of it. */
final class TopicCreator {

    private static final long TIMEOUT_MS = 30_000;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final String clusterName;
    private final Admin admin;

    TopicCreator(String clusterName, Admin admin) {
        this.clusterName = clusterName;
        this.admin = admin;
    }

    void create(String topic, int partitions, Map<String, String> configs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + topic + " needs at least one partition, was " + partitions);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(Map.copyOf(configs));
        try {
            await(admin.createTopics(List.of(newTopic)).all(), "create topic " + topic);
        } catch (TopicExistsException e) {
            // Idempotent only if it is the same topic; fall through to the partition check.
        }
        awaitLeaders(topic, partitions, deadline);
    }

    /**
     * The controller acknowledges creation before the broker has applied the new metadata, and a
     * client racing ahead would see UNKNOWN_TOPIC_OR_PARTITION; wait for the broker's view.
     */
    private void awaitLeaders(String topic, int partitions, long deadline) {
        while (true) {
            TopicDescription description = describe(topic);
            if (description != null) {
                int actual = description.partitions().size();
                if (actual != partitions) {
                    throw new IllegalStateException("Kafka cluster " + clusterName + ": topic " + topic
                            + " already exists with " + actual + " partitions, not " + partitions);
                }
                if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(
                        "Kafka cluster " + clusterName + ": topic " + topic + " has no leaders after " + TIMEOUT_MS + " ms");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private TopicDescription describe(String topic) {
        try {
            return await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic).get(topic);
        } catch (UnknownTopicOrPartitionException e) {
            return null;
        }
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause
                    && (cause instanceof TopicExistsException || cause instanceof UnknownTopicOrPartitionException)) {
                throw cause;
            }
            throw new IllegalStateException("Kafka cluster " + clusterName + ": could not " + what, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka cluster " + clusterName + ": " + what + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Kafka cluster " + clusterName + ": interrupted while trying to " + what, e);
        }
    }
}
