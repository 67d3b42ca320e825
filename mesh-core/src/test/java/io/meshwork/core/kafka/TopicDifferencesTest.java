package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicDifferencesTest {

    private static final TopicSpec INTEREST = new TopicSpec("mesh.interest", 1, (short) 3,
            Map.of("cleanup.policy", "compact", "min.insync.replicas", "2"));

    @Test
    void aTopicAsTheContractWantsItHasNoDifferenceWhateverElseItsConfigsSay() {
        assertThat(TopicDifferences.between(INTEREST, 1, 3,
                Map.of("cleanup.policy", "compact", "min.insync.replicas", "2", "segment.bytes", "1073741824"))).isEmpty();
    }

    @Test
    void namesEachDifferenceWithTheActualAndTheContractValue() {
        assertThat(TopicDifferences.between(INTEREST, 3, 1, Map.of("cleanup.policy", "delete")))
                .containsExactly("partitions 3, contract says 1", "replication factor 1, contract says at least 3",
                        "cleanup.policy is delete, contract says compact", "min.insync.replicas is unset, contract says 2");
    }

    @Test
    void moreReplicasThanTheContractAsksIsNoDifference() {
        TopicSpec events = new TopicSpec("mesh.events", 3, (short) 1, Map.of("cleanup.policy", "delete"));

        assertThat(TopicDifferences.between(events, 3, 3, Map.of("cleanup.policy", "delete", "min.insync.replicas", "2"))).isEmpty();
    }
}
