package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.meshwork.core.kafka.TopicApplier.Mode;
import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TopicApplier} against a real single-broker KRaft cluster. */
@Tag("integration")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopicApplierIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";

    @Test
    void createsTheWholeContractOnceThenFindsItAsTheContractWantsAndVerifiesWithoutCreating() throws Exception {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            TopicApplier applier = new TopicApplier(kafka.admin(), US);
            TopicContract contract = TopicContract.embedded(US, List.of(EU, AP));
            List<String> names = contract.topics().stream().map(TopicSpec::name).toList();

            TopicApplier.Outcome first = applier.apply(contract.topics(), Mode.CREATE_MISSING);
            TopicApplier.Outcome again = applier.apply(contract.topics(), Mode.CREATE_MISSING);
            TopicApplier.Outcome verified = applier.apply(contract.topics(), Mode.VERIFY_ONLY);

            assertThat(first.created()).containsExactlyElementsOf(names);
            assertThat(again.created()).isEmpty();
            assertThat(again.checked()).containsExactlyElementsOf(names);
            assertThat(verified.checked()).containsExactlyElementsOf(names);
            assertThat(kafka.admin().listTopics().names().get(10, TimeUnit.SECONDS)).containsAll(names);
            var interest = new ConfigResource(ConfigResource.Type.TOPIC, MeshKafkaTopics.INTEREST);
            assertThat(kafka.admin().describeConfigs(List.of(interest)).all().get(10, TimeUnit.SECONDS).get(interest)
                    .get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(kafka.admin().describeTopics(List.of(MeshKafkaTopics.EVENTS)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(MeshKafkaTopics.EVENTS).partitions()).hasSize(TopicContract.EVENT_PARTITIONS);
        }
    }

    @Test
    void verifyOnlyCreatesNothingAndNamesEveryMissingTopic() {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            TopicApplier applier = new TopicApplier(kafka.admin(), US);
            applier.apply(TopicContract.embedded(US, List.of(EU)).topics(), Mode.CREATE_MISSING);

            TopicContractException missing = catchThrowableOfType(TopicContractException.class,
                    () -> applier.apply(TopicContract.embedded(US, List.of(EU, AP)).topics(), Mode.VERIFY_ONLY));

            assertThat(missing.getMessage()).isEqualTo("us-east-1: topic mesh.link.ap-southeast-1: missing; "
                    + "topic ap-southeast-1.mesh.link.us-east-1: missing; topic ap-southeast-1.mesh.routes: missing");
            assertThat(missing.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void aTopicWithWrongPartitionsOrWrongCleanupPolicyIsNamedWithWhatDiffers() {
        try (var kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(US))) {
            kafka.createTopic(MeshKafkaTopics.EVENTS, 1, Map.of());
            kafka.createTopic(MeshKafkaTopics.INTEREST, 1, Map.of("cleanup.policy", "delete"));
            TopicApplier applier = new TopicApplier(kafka.admin(), US);
            List<TopicSpec> contract = TopicContract.embedded(US, List.of(EU)).topics();

            TopicContractException wrong = catchThrowableOfType(TopicContractException.class,
                    () -> applier.apply(contract, Mode.CREATE_MISSING));

            assertThat(wrong.problems()).containsExactly(
                    new TopicContractException.Problem(MeshKafkaTopics.EVENTS, "partitions 1, contract says 3"),
                    new TopicContractException.Problem(MeshKafkaTopics.INTEREST, "cleanup.policy is delete, contract says compact"));
            assertThat(wrong.getMessage()).isEqualTo("us-east-1: topic mesh.events: partitions 1, contract says 3; "
                    + "topic mesh.interest: cleanup.policy is delete, contract says compact");
            // The rest of the contract was created, and a second run still refuses the same two topics.
            assertThatThrownBy(() -> applier.apply(contract, Mode.VERIFY_ONLY)).isInstanceOf(TopicContractException.class)
                    .hasMessage(wrong.getMessage());
        }
    }
}
