package io.meshwork.edge.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofMillis(300));

    @Test
    void everyEdgeIsTriedOnceAtOnceBeforeAnyWait() {
        assertThat(backoff.delay(1, 3)).isZero();
        assertThat(backoff.delay(2, 3)).isZero();
    }

    @Test
    void afterAFullRoundTheWaitDoublesUpToTheMaximum() {
        assertThat(backoff.delay(3, 3)).isEqualTo(Duration.ofMillis(50));
        assertThat(backoff.delay(4, 3)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(5, 3)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delay(6, 3)).isEqualTo(Duration.ofMillis(300));
        assertThat(backoff.delay(1_000, 3)).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void withOneEdgeEveryRetryWaits() {
        assertThat(backoff.delay(1, 1)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aMaximumBelowTheFirstWaitIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initial <= max");
    }
}
