package io.meshwork.edge.internal.durable;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Counting a non-durable subscription's failover gap from the records between two cuts. */
class GapTallyTest {

    @Test
    void countsExactlyTheMatchingRecordsBetweenTheTokenAndTheLiveStart() {
        GapTally tally = new GapTally(new long[] {10, 20}, new long[] {13, 22}, 100);
        tally.record(0, 10, true);
        tally.record(0, 11, false);
        tally.record(0, 12, true);
        tally.record(1, 20, true);
        tally.record(1, 21, false);

        assertThat(tally.isComplete()).isTrue();
        assertThat(tally.result()).isEqualTo(new GapTally.Result(3, true, 5));
    }

    @Test
    void recordsOutsideTheRangeAreNotPartOfTheGap() {
        GapTally tally = new GapTally(new long[] {10}, new long[] {12}, 100);
        tally.record(0, 9, true);  // delivered by the old edge already
        tally.record(0, 10, true);
        tally.record(0, 11, true);
        tally.record(0, 12, true); // delivered live by the new edge

        assertThat(tally.result()).isEqualTo(new GapTally.Result(2, true, 2));
    }

    @Test
    void offsetsWithoutRecordsAreSkippedWhenTheReaderPassesThem() {
        GapTally tally = new GapTally(new long[] {0}, new long[] {5}, 100);
        tally.record(0, 0, true);
        tally.record(0, 3, true); // 1 and 2: a transaction marker and an aborted record
        tally.reached(0, 5);      // 4: the commit marker

        assertThat(tally.isComplete()).isTrue();
        assertThat(tally.result()).isEqualTo(new GapTally.Result(2, true, 2));
    }

    @Test
    void pastTheBoundTheUnreadRestCountsAsItsOffsetsDifferenceAnUpperBound() {
        GapTally tally = new GapTally(new long[] {0, 100}, new long[] {10, 150}, 3);
        tally.record(0, 0, true);
        tally.record(0, 1, false);
        tally.record(0, 2, true);
        tally.record(0, 3, true); // past the bound: not read
        tally.reached(0, 10);     // nor passed

        assertThat(tally.isBounded()).isTrue();
        // 2 matched + 7 unread in partition 0 + 50 unread in partition 1.
        assertThat(tally.result()).isEqualTo(new GapTally.Result(59, false, 3));
    }

    @Test
    void aTokenAheadOfTheNewEdgesDeliveryHasNoGapThere() {
        GapTally tally = new GapTally(new long[] {50, 7}, new long[] {40, 9}, 100);

        assertThat(tally.pending()).containsExactly(1);
        tally.record(1, 7, true);
        tally.record(1, 8, true);
        assertThat(tally.result()).isEqualTo(new GapTally.Result(2, true, 2));
    }

    @Test
    void nothingReadLeavesTheWholeRangeAsAnUpperBound() {
        assertThat(new GapTally(new long[] {3, 4}, new long[] {5, 10}, 0).result())
                .isEqualTo(new GapTally.Result(8, false, 0));
        assertThat(new GapTally(new long[] {5, 10}, new long[] {5, 10}, 0).result())
                .isEqualTo(new GapTally.Result(0, true, 0));
    }
}
