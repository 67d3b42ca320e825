package io.meshwork.launcher.cli;

import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.kafka.ClusterCheck;
import io.meshwork.core.kafka.KafkaClients;
import io.meshwork.core.kafka.TopicContractException;

/**
 * How a service command starts: what stops it at start (a bad setting, a cluster it cannot use,
 * topics that differ from the contract) becomes one line on stderr, prefixed with the command,
 * and {@link MeshCli}'s exit code, never a stack trace.
 */
final class ServiceStart {

    private ServiceStart() {
    }

    /** A start-up step, returning what the command goes on with. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    /**
     * What a step gave, or the exit code it stopped the command with.
     *
     * @param value    what the step returned; {@code null} when it stopped the command
     * @param exitCode 0, or the code the command exits with
     */
    record Outcome<T>(T value, int exitCode) {
        static <T> Outcome<T> of(T value) {
            return new Outcome<>(value, 0);
        }

        boolean stopped() {
            return exitCode != 0;
        }
    }

    /**
     * Runs the loading of the configuration and the start-up checks: a {@link ConfigError} exits
     * {@link MeshCli#CONFIG_ERROR}; a {@link TopicContractException} or an {@link IllegalStateException}
     * (a cluster that does not answer the topic checks) exits {@link MeshCli#TOPICS_ERROR}.
     *
     * @param command how the line on stderr starts, e.g. {@code mesh edge}
     */
    static <T> Outcome<T> checked(String command, Step<T> checks) throws Exception {
        try {
            return Outcome.of(checks.run());
        } catch (ConfigError e) {
            return stopped(command, e, MeshCli.CONFIG_ERROR);
        } catch (TopicContractException | IllegalStateException e) {
            return stopped(command, e, MeshCli.TOPICS_ERROR);
        }
    }

    /**
     * Starts the service, whose checks passed: a failure caused by a Kafka client setting of
     * {@code kafka.*} that Kafka rejects (one the start-up check's admin client does not read)
     * exits {@link MeshCli#CONFIG_ERROR} naming the key; any other failure is thrown.
     */
    static <T> Outcome<T> started(String command, MeshConfig config, Step<T> start) throws Exception {
        try {
            return Outcome.of(rejectingSettings(config, start));
        } catch (ConfigError e) {
            return stopped(command, e, MeshCli.CONFIG_ERROR);
        }
    }

    /**
     * Runs {@code start}, turning a failure caused by a {@code kafka.*} setting that Kafka rejects
     * into a {@link ConfigError} naming the key.
     */
    static <T> T rejectingSettings(MeshConfig config, Step<T> start) throws Exception {
        try {
            return start.run();
        } catch (RuntimeException e) {
            throw ClusterCheck.rejectedSetting(e, KafkaClients.PREFIX).map(config::error).orElseThrow(() -> e);
        }
    }

    private static <T> Outcome<T> stopped(String command, Exception e, int exitCode) {
        System.err.println(command + ": " + e.getMessage());
        return new Outcome<>(null, exitCode);
    }
}
