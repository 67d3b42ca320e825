package io.meshwork.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOverOneToAThousand() {
        long[] samples = new long[1000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = samples.length - i; // unsorted on purpose
        }
        Percentiles p = Percentiles.of(samples, samples.length);
        assertThat(p.count()).isEqualTo(1000);
        assertThat(p.p50()).isEqualTo(500);
        assertThat(p.p99()).isEqualTo(990);
        assertThat(p.p999()).isEqualTo(999);
        assertThat(p.max()).isEqualTo(1000);
        assertThat(samples[0]).as("input left untouched").isEqualTo(1000);
    }

    @Test
    void fewSamplesGiveTheLargestForHighPercentiles() {
        Percentiles p = Percentiles.of(new long[] {7, 3, 5}, 3);
        assertThat(p.p50()).isEqualTo(5);
        assertThat(p.p99()).isEqualTo(7);
        assertThat(p.p999()).isEqualTo(7);
    }

    @Test
    void onlyTheFirstCountSamplesCount() {
        Percentiles p = Percentiles.of(new long[] {1, 2, 1_000_000}, 2);
        assertThat(p.max()).isEqualTo(2);
    }

    @Test
    void noSamplesIsNotANumber() {
        assertThat(Percentiles.of(new long[4], 0)).isEqualTo(Percentiles.NONE);
        assertThat(Percentiles.NONE.p99()).isNaN();
        assertThatThrownBy(() -> Percentiles.of(new long[2], 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scaledAndShifted() {
        Percentiles p = Percentiles.of(new long[] {2_000_000, 4_000_000}, 2).scaled(1e6).minus(1);
        assertThat(p.p50()).isEqualTo(1.0);
        assertThat(p.max()).isEqualTo(3.0);
    }
}
