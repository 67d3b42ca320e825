package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicContractTest {

    private static final String EU = "eu-west-1";
    private static final String US = "us-east-1";
    private static final String AP = "ap-southeast-1";

    private static Map<String, TopicSpec> byName(TopicContract contract) {
        return contract.topics().stream().collect(Collectors.toMap(TopicSpec::name, Function.identity()));
    }

    @Test
    void aRegionWithTwoNeighboursNeedsItsOwnTopicsAndASpoolArrivalsAndRoutesPerNeighbour() {
        List<TopicSpec> topics = TopicContract.embedded(EU, List.of(US, AP)).topics();

        assertThat(topics).extracting(TopicSpec::name).containsExactly(
                "mesh.events", "mesh.interest", "mesh.routes", "mesh.dlq", "mesh.deliveries", "mesh.retained", "mesh.acls", "mesh.traces",
                "mesh.heartbeats", "mesh.beats",
                "mesh.link.us-east-1", "us-east-1.mesh.link.eu-west-1", "us-east-1.mesh.routes",
                "mesh.link.ap-southeast-1", "ap-southeast-1.mesh.link.eu-west-1", "ap-southeast-1.mesh.routes");
    }

    @Test
    void theDeliveriesTopicHasOneSlotPerPartitionForRoutedEdges() {
        TopicSpec deliveries = byName(TopicContract.embedded(EU, List.of())).get("mesh.deliveries");
        assertThat(deliveries.partitions()).isEqualTo(TopicContract.DELIVERY_PARTITIONS);
        assertThat(deliveries.configs()).containsEntry("cleanup.policy", "delete");
    }

    @Test
    void controlTopicsAreCompactedSinglePartitionAndDataTopicsAreDeletedOverThreePartitions() {
        Map<String, TopicSpec> topics = byName(TopicContract.embedded(EU, List.of(US, AP)));

        for (String control : List.of("mesh.interest", "mesh.routes", "mesh.acls", "us-east-1.mesh.routes", "ap-southeast-1.mesh.routes")) {
            assertThat(topics.get(control).partitions()).as(control).isEqualTo(1);
            assertThat(topics.get(control).configs()).as(control).containsEntry("cleanup.policy", "compact");
        }
        for (String data : List.of("mesh.events", "mesh.link.us-east-1", "us-east-1.mesh.link.eu-west-1")) {
            assertThat(topics.get(data).partitions()).as(data).isEqualTo(TopicContract.EVENT_PARTITIONS);
            assertThat(topics.get(data).configs()).as(data).containsEntry("cleanup.policy", "delete");
        }
        assertThat(topics.get("mesh.retained").partitions()).isEqualTo(1);
        assertThat(topics.get("mesh.retained").configs()).as("compacted, stamped by the broker")
                .containsEntry("cleanup.policy", "compact").containsEntry("message.timestamp.type", "LogAppendTime");
        assertThat(topics.get("mesh.traces").configs()).containsEntry("retention.ms", "604800000");
        assertThat(topics.get("mesh.heartbeats").configs()).containsEntry("retention.ms", "3600000");
    }

    @Test
    void spoolsKeepWhatTheSpoolLimitsSaySharedByTheirPartitions() {
        SpoolRetention spool = new SpoolRetention(3L * 1024 * 1024 * 1024, Duration.ofDays(2));
        Map<String, TopicSpec> topics = byName(new TopicContract(EU, List.of(US), (short) 1, spool));

        assertThat(topics.get("mesh.link.us-east-1").configs())
                .containsEntry("retention.bytes", Long.toString(1024L * 1024 * 1024))
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(2).toMillis()));
        assertThat(topics.get("us-east-1.mesh.link.eu-west-1").configs()).doesNotContainKey("retention.bytes");
    }

    @Test
    void replicationFactorThreeAsksForTwoInSyncReplicasOnEveryTopic() {
        List<TopicSpec> topics = new TopicContract(EU, List.of(US, AP), (short) 3, SpoolRetention.SEED).topics();

        assertThat(topics).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
        });
    }

    @Test
    void replicationFactorOneLeavesMinInSyncReplicasToTheBroker() {
        assertThat(TopicContract.embedded(EU, List.of(US)).topics())
                .allSatisfy(topic -> assertThat(topic.configs()).doesNotContainKey("min.insync.replicas"));
    }

    @Test
    void theRoutesTopicOfANeighbourIsTheOneInTheRegionsContract() {
        TopicContract contract = TopicContract.embedded(US, List.of(EU));

        assertThat(contract.topics()).contains(contract.remoteRoutes(EU));
        assertThatThrownBy(() -> contract.remoteRoutes(AP)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AP).hasMessageContaining("not a neighbour of " + US);
    }

    @Test
    void refusesARegionThatIsItsOwnNeighbourOrANeighbourListedTwice() {
        assertThatThrownBy(() -> TopicContract.embedded(EU, List.of(EU))).hasMessageContaining("its own neighbour");
        assertThatThrownBy(() -> TopicContract.embedded(EU, List.of(US, US))).hasMessageContaining("listed twice");
    }
}
