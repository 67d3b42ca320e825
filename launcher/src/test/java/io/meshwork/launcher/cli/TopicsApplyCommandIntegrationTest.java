package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.kafka.MeshKafkaTopics;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code mesh topics apply} against a real single-broker cluster, for the built-in topology's eu-west-1. */
@Tag("integration")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopicsApplyCommandIntegrationTest {

    private static final String EU = "eu-west-1";

    @Test
    void verifyFailsNamingAMissingTopicThenApplyCreatesTheContractAndVerifyPasses() {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU))) {
            String bootstrap = kafka.bootstrapServers();

            CliRun before = CliRun.mesh("topics", "apply", "--region", EU, "--kafka", bootstrap, "--replication", "1", "--verify");
            CliRun apply = CliRun.mesh("topics", "apply", "--region", EU, "--kafka", bootstrap, "--replication", "1");
            CliRun after = CliRun.mesh("topics", "apply", "--region", EU, "--kafka", bootstrap, "--replication", "1", "--verify");

            assertThat(before.exitCode()).isEqualTo(MeshCli.TOPICS_ERROR);
            assertThat(before.err().strip()).startsWith("mesh topics apply: eu-west-1: topic mesh.events: missing;")
                    .contains("topic us-east-1.mesh.routes: missing").doesNotContain("\n");
            assertThat(apply.exitCode()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("TOPICS OK region=eu-west-1").contains("mesh.link.ap-southeast-1");
            assertThat(after.exitCode()).as(after.err()).isZero();
            assertThat(after.out()).contains("created=[]");
        }
    }

    @Test
    void aTopicWithTheWrongCleanupPolicyExitsNonZeroWithOneLineNamingIt() {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU))) {
            kafka.createTopic(MeshKafkaTopics.INTEREST, 1, Map.of("cleanup.policy", "delete"));

            CliRun run = CliRun.mesh("topics", "apply", "--region", EU, "--kafka", kafka.bootstrapServers(), "--replication", "1");

            assertThat(run.exitCode()).isEqualTo(MeshCli.TOPICS_ERROR);
            assertThat(run.err().strip())
                    .isEqualTo("mesh topics apply: eu-west-1: topic mesh.interest: cleanup.policy is delete, contract says compact");
        }
    }

    @Test
    void replicationThreeIsTheDefaultSoASingleBrokerIsRefusedInOneLine() {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU))) {
            CliRun run = CliRun.mesh("topics", "apply", "--region", EU, "--kafka", kafka.bootstrapServers());

            assertThat(run.exitCode()).isEqualTo(MeshCli.TOPICS_ERROR);
            assertThat(run.err().strip()).startsWith("mesh topics apply: eu-west-1: cannot create topic mesh.events:")
                    .contains("replication factor of 3").doesNotContain("\n");
        }
    }

    @Test
    void aServiceThatMayNotCreateTopicsStopsNamingTheSwitchAndTheMissingTopics() {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(EU))) {
            CliRun run = CliRun.mesh("edge", "--region", EU, "--kafka", kafka.bootstrapServers(), "--set", "mesh.topics.create=false");

            assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
            assertThat(run.err().strip()).startsWith("mesh edge: --set: mesh.topics.create: is false and the cluster does not hold")
                    .contains("topic mesh.events: missing").doesNotContain("\n");
            assertThat(kafka.admin().listTopics().names().toCompletionStage().toCompletableFuture().join())
                    .doesNotContain(MeshKafkaTopics.EVENTS);
        }
    }

    @Test
    void anUnknownRegionIsAConfigurationError() {
        CliRun run = CliRun.mesh("topics", "apply", "--region", "mars-1", "--kafka", "127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("mars-1");
    }
}
