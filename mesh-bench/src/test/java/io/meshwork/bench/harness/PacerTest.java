package io.meshwork.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void sendsOnAFixedScheduleAndCountsFailures() {
        List<Long> scheduled = new ArrayList<>();
        Pacer.Outcome outcome = Pacer.run(1_000, Duration.ofMillis(50), (seq, at) -> {
            scheduled.add(at);
            if (seq == 3) {
                throw new IllegalStateException("refused");
            }
        });
        assertThat(outcome.sent()).isEqualTo(50);
        assertThat(outcome.failed()).isEqualTo(1);
        for (int i = 1; i < scheduled.size(); i++) {
            assertThat(scheduled.get(i) - scheduled.get(i - 1)).isEqualTo(1_000_000L);
        }
    }
}
