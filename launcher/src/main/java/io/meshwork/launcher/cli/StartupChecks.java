package io.meshwork.launcher.cli;

import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.kafka.ClusterCheck;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicAccess;
import io.meshwork.core.kafka.TopicApplier;
import io.meshwork.core.kafka.TopicContract;
import io.meshwork.core.kafka.TopicContractException;
import io.meshwork.core.kafka.TopicSpec;
import io.meshwork.core.config.MeshKeys;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/**
 * What a service checks before it starts, so that a cluster it cannot use stops it with one line
 * naming the key, not with a client retrying (or a stack trace) in the background.
 */
final class StartupChecks {

    private StartupChecks() {
    }

    /**
     * Checks the settings of the {@code prefix} keys, then that their cluster answers and accepts the
     * principal within {@code mesh.startup.check.timeout}.
     *
     * @throws ConfigError naming the key ({@code kafka.bootstrap.servers}, {@code kafka.sasl.jaas.config}, ...)
     */
    static void cluster(MeshConfig config, KafkaClients kafka, String prefix) {
        try {
            ClusterCheck.validate(kafka, prefix);
            Logging.quietKafka(() -> ClusterCheck.verify(kafka, prefix, MeshKeys.startupCheckTimeout(config)));
        } catch (InvalidSettingException e) {
            throw config.error(e);
        }
    }

    /**
     * Checks the settings of the {@code prefix} keys without connecting (a neighbour's cluster may
     * be unreachable at start, behind a cut link).
     *
     * @throws ConfigError naming the key Kafka rejects
     */
    static void settings(MeshConfig config, KafkaClients kafka, String prefix) {
        try {
            ClusterCheck.validate(kafka, prefix);
        } catch (InvalidSettingException e) {
            throw config.error(e);
        }
    }

    /**
     * Creates the region's missing contract topics, or, with {@code mesh.topics.create=false}, only
     * checks that they exist; existing topics are checked against the contract either way.
     *
     * @throws ConfigError                                  with {@code mesh.topics.create=false}, naming each topic and what differs;
     *                                                      or naming {@code kafka.sasl.jaas.config} (the principal's key) when the
     *                                                      principal may not create, describe, read or write the contract topics
     * @throws io.meshwork.core.kafka.TopicContractException naming each topic and what differs
     * @throws IllegalStateException                       when the cluster does not answer
     */
    static void contractTopics(MeshConfig config, KafkaClients kafka, String service, TopicContract contract) {
        TopicApplier.Mode mode = Boolean.FALSE.equals(config.bool(MeshKeys.TOPICS_CREATE))
                ? TopicApplier.Mode.VERIFY_ONLY : TopicApplier.Mode.CREATE_MISSING;
        TopicAccess access = new TopicAccess(kafka, KafkaClients.PREFIX);
        List<String> names = contract.topics().stream().map(TopicSpec::name).toList();
        try (Admin admin = kafka.admin(service)) {
            try {
                new TopicApplier(admin, contract.region()).apply(contract.topics(), mode);
            } catch (TopicContractException e) {
                // A topic the principal may not describe is not listed, so it looks missing: say
                // that the principal is refused rather than that the topic is missing.
                verifyIfAnswered(access, admin, names);
                throw e;
            }
            // A principal may log in and see the topics, yet not be allowed to use them.
            access.verify(admin, names, TopicAccess.READ_WRITE);
        } catch (InvalidSettingException e) {
            throw config.error(e);
        } catch (IllegalStateException e) {
            // Without ACLs a principal does not even see the topics, so creating or describing them is refused first.
            throw access.refused(e, e.getMessage()).map(config::error).orElseThrow(() -> e);
        } catch (TopicContractException e) {
            if (mode == TopicApplier.Mode.VERIFY_ONLY) {
                // Missing topics are then the operator's to create: name the switch that says so.
                throw config.error(new InvalidSettingException(MeshKeys.TOPICS_CREATE,
                        "is false and the cluster does not hold the contract topics: " + e.getMessage()));
            }
            throw e;
        }
    }

    /** {@link TopicAccess#verify}, where topics that are really missing are the caller's to report. */
    private static void verifyIfAnswered(TopicAccess access, Admin admin, List<String> topics) {
        try {
            access.verify(admin, topics, TopicAccess.READ_WRITE);
        } catch (IllegalStateException missing) {
            // Unknown topics, or no answer: the contract's own error says more.
        }
    }
}
