package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** What a push link may commit: nothing past a record the neighbour has not acknowledged. */
class LinkProgressTest {

    private static final TopicPartition P0 = new TopicPartition("mesh.link.eu-west-1", 0);
    private static final TopicPartition P1 = new TopicPartition("mesh.link.eu-west-1", 1);

    private final LinkProgress progress = new LinkProgress();

    @Test
    void commitsUpToTheFirstUnacknowledgedRecord() {
        progress.readUpTo(P0, 10);
        progress.sent(P0, 10);
        progress.sent(P0, 11);
        progress.sent(P0, 12);
        progress.readUpTo(P0, 13);

        assertThat(progress.toCommit()).isEqualTo(Map.of(P0, 10L));
        progress.acknowledged(progress.generation(), P0, 11);
        assertThat(progress.toCommit()).as("11 is acknowledged but 10 is not").isEqualTo(Map.of(P0, 10L));
        progress.acknowledged(progress.generation(), P0, 10);
        assertThat(progress.toCommit()).isEqualTo(Map.of(P0, 12L));
        progress.acknowledged(progress.generation(), P0, 12);
        assertThat(progress.toCommit()).as("everything read is acknowledged").isEqualTo(Map.of(P0, 13L));
        assertThat(progress.outstanding()).isZero();
    }

    @Test
    void whereANewRunMayResumeIsWhatWasAcknowledgedEvenWhenTheCommitFailed() {
        progress.readUpTo(P0, 0);
        progress.sent(P0, 0);
        progress.sent(P0, 1);
        progress.readUpTo(P0, 2);
        progress.readUpTo(P1, 3);
        progress.acknowledged(progress.generation(), P0, 0);

        assertThat(progress.safe()).as("never committed, still the acknowledged positions").isEqualTo(Map.of(P0, 1L, P1, 3L));
        progress.committed(progress.toCommit());
        assertThat(progress.safe()).as("all positions, not only those that moved").isEqualTo(Map.of(P0, 1L, P1, 3L));
    }

    @Test
    void reportsOnlyPositionsThatMovedSinceTheLastCommit() {
        progress.readUpTo(P0, 5);
        progress.readUpTo(P1, 7);
        progress.committed(progress.toCommit());
        progress.readUpTo(P1, 9);

        assertThat(progress.toCommit()).isEqualTo(Map.of(P1, 9L));
    }

    @Test
    void aRewindReturnsTheLastAcknowledgedPositionsAndIgnoresLateAnswersOfTheAbandonedSends() {
        progress.readUpTo(P0, 0);
        progress.sent(P0, 0);
        progress.sent(P0, 1);
        progress.readUpTo(P0, 2);
        progress.readUpTo(P1, 4);
        int abandoned = progress.generation();
        progress.acknowledged(abandoned, P0, 0);

        assertThat(progress.rewind()).isEqualTo(Map.of(P0, 1L, P1, 4L));
        assertThat(progress.outstanding()).isZero();
        assertThat(progress.acknowledged(abandoned, P0, 1)).as("answer to an abandoned send").isFalse();

        progress.sent(P0, 1);
        assertThat(progress.outstanding()).isEqualTo(1);
        assertThat(progress.toCommit()).containsEntry(P0, 1L);
    }
}
