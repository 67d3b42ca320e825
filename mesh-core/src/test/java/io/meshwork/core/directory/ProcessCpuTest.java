package io.meshwork.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessCpuTest {

    @Test
    void busyProcessShowsLoadWithinZeroToHundred() {
        ProcessCpu.percent(0); // start a fresh interval
        long until = System.nanoTime() + 300_000_000L;
        long spin = 0;
        while (System.nanoTime() < until) {
            spin += 1 + Long.numberOfTrailingZeros(spin + 1);
        }
        double percent = ProcessCpu.percent(0);
        assertThat(spin).isPositive();
        assertThat(percent).isGreaterThan(0).isLessThanOrEqualTo(100);
    }

    @Test
    void callsWithinTheIntervalShareOneReading() {
        ProcessCpu.percent(0);
        double first = ProcessCpu.percent(Long.MAX_VALUE);
        double second = ProcessCpu.percent(Long.MAX_VALUE);
        assertThat(second).isEqualTo(first);
    }
}
