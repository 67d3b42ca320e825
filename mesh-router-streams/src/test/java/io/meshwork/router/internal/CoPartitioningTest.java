package io.meshwork.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CoPartitioningTest {

    private static final String US = "us-east-1";
    private static final List<String> NEIGHBOURS = List.of("eu-west-1", "ap-southeast-1");

    private static Map<String, Integer> contract() {
        Map<String, Integer> partitions = new HashMap<>();
        CoPartitioning.topics(US, NEIGHBOURS).forEach(topic -> partitions.put(topic, 3));
        partitions.put("mesh.interest", 1);
        partitions.put("eu-west-1.mesh.routes", 1);
        partitions.put("ap-southeast-1.mesh.routes", 1);
        return partitions;
    }

    @Test
    void theContractTopicsGiveTheLinkPartitionCount() {
        assertThat(CoPartitioning.linkPartitions(US, NEIGHBOURS, contract())).isEqualTo(3);
    }

    @Test
    void aRegionWithoutNeighboursNeedsOnlyASinglePartitionInterestTopic() {
        assertThat(CoPartitioning.linkPartitions(US, List.of(), Map.of("mesh.events", 6, "mesh.interest", 1))).isEqualTo(1);
    }

    @Test
    void eventsPartitionedUnlikeTheLinksAreRefusedNamingBothCounts() {
        Map<String, Integer> partitions = contract();
        partitions.put("mesh.events", 6);
        assertThatThrownBy(() -> CoPartitioning.linkPartitions(US, NEIGHBOURS, partitions))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("region us-east-1").hasMessageContaining("mesh.events has 6 partitions")
                .hasMessageContaining("link topics have 3");
    }

    @Test
    void anArrivalTopicPartitionedUnlikeTheLinksIsRefusedNamingIt() {
        Map<String, Integer> partitions = contract();
        partitions.put("eu-west-1.mesh.link.us-east-1", 4);
        assertThatThrownBy(() -> CoPartitioning.linkPartitions(US, NEIGHBOURS, partitions))
                .hasMessageContaining("eu-west-1.mesh.link.us-east-1=4");
    }

    @Test
    void controlTopicsWithSeveralPartitionsAreRefusedNamingTheTopic() {
        Map<String, Integer> interest = contract();
        interest.put("mesh.interest", 2);
        assertThatThrownBy(() -> CoPartitioning.linkPartitions(US, NEIGHBOURS, interest))
                .hasMessageContaining("topic mesh.interest has 2 partitions; it must have exactly 1");
        Map<String, Integer> routes = contract();
        routes.put("ap-southeast-1.mesh.routes", 3);
        assertThatThrownBy(() -> CoPartitioning.linkPartitions(US, NEIGHBOURS, routes))
                .hasMessageContaining("topic ap-southeast-1.mesh.routes has 3 partitions");
    }

    @Test
    void aMissingTopicIsNamed() {
        Map<String, Integer> partitions = contract();
        partitions.remove("mesh.link.ap-southeast-1");
        assertThatThrownBy(() -> CoPartitioning.linkPartitions(US, NEIGHBOURS, partitions))
                .hasMessageContaining("topic mesh.link.ap-southeast-1 is missing");
    }
}
