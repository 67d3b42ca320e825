package io.meshwork.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void warmUpEventsAreCountedButNotMeasured() {
        LatencyRecorder recorder = new LatencyRecorder(10);
        recorder.startMeasuring(1_000);
        recorder.record(500, 2_000_500);    // published during warm-up
        recorder.record(1_000, 3_001_000);  // 3 ms
        recorder.record(2_000, 1_002_000);  // 1 ms
        assertThat(recorder.received()).isEqualTo(3);
        assertThat(recorder.measured()).isEqualTo(2);
        assertThat(recorder.millis().p50()).isEqualTo(1.0);
        assertThat(recorder.millis().max()).isEqualTo(3.0);
    }

    @Test
    void samplesBeyondCapacityAreDroppedNotThrown() {
        LatencyRecorder recorder = new LatencyRecorder(1);
        recorder.startMeasuring(0);
        recorder.record(0, 1);
        recorder.record(0, 2);
        assertThat(recorder.measured()).isEqualTo(1);
        assertThat(recorder.received()).isEqualTo(2);
    }
}
