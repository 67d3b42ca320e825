package io.meshwork.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrivalProgressTest {

    @Test
    void storeEntriesBecomeTheHighestOffsetPerNeighbourAndPartition() {
        ArrivalProgress progress = new ArrivalProgress();
        progress.apply(ArrivalProgress.key("eu-west-1", 2), 40);
        progress.apply(ArrivalProgress.key("eu-west-1", 2), 41);
        progress.apply(ArrivalProgress.key("eu-west-1", 0), 7);
        progress.apply(ArrivalProgress.key("ap-southeast-1", 1), 3);

        assertThat(progress.snapshot()).isEqualTo(Map.of("eu-west-1", Map.of(0, 7L, 2, 41L), "ap-southeast-1", Map.of(1, 3L)));
    }

    @Test
    void anOlderEntryNeverMovesProgressBack() {
        // Two instances' changelog records may be read out of order across partitions.
        ArrivalProgress progress = new ArrivalProgress();
        progress.apply(ArrivalProgress.key("eu-west-1", 0), 90);
        progress.apply(ArrivalProgress.key("eu-west-1", 0), 12);

        assertThat(progress.snapshot().get("eu-west-1")).containsEntry(0, 90L);
    }

    @Test
    void keysThatAreNotNeighbourAndPartitionAreIgnored() {
        ArrivalProgress progress = new ArrivalProgress();
        progress.apply("no-partition", 1);
        progress.apply("eu-west-1|x", 1);
        progress.apply(null, 1);

        assertThat(progress.snapshot()).isEmpty();
    }
}
