package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a push link waits before restarting after unexpected failures. */
class RestartBackoffTest {

    private static final RestartBackoff BACKOFF = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final Duration BRIEF = Duration.ofMillis(200);

    @Test
    void doublesFromTheFirstWaitToTheLongestWhileFailuresRepeatAtOnce() {
        Duration wait = null;
        StringBuilder waits = new StringBuilder();
        for (int restart = 0; restart < 7; restart++) {
            wait = BACKOFF.after(wait, BRIEF);
            waits.append(wait.toSeconds()).append(' ');
        }
        assertThat(waits.toString().trim()).isEqualTo("1 2 4 8 16 30 30");
    }

    @Test
    void startsAgainFromTheFirstWaitAfterARunThatLastedTheLongestWait() {
        assertThat(BACKOFF.after(Duration.ofSeconds(30), Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
        assertThat(BACKOFF.after(Duration.ofSeconds(16), Duration.ofSeconds(29))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesAFirstWaitThatIsNotPositiveOrLongerThanTheLongest() {
        assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("first must be positive");
        assertThatThrownBy(() -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("longest (PT1S) must be at least first (PT2S)");
    }
}
