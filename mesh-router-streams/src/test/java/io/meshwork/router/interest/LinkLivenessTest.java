package io.meshwork.router.interest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkLivenessTest {

    @Test
    void downAfterTheTimeoutAndUpOnlyAfterASteadyRun() {
        LinkLiveness liveness = new LinkLiveness(List.of("eu"), Duration.ofSeconds(3), 0);
        assertThat(liveness.evaluate(1_000)).isEmpty();
        assertThat(liveness.states()).containsEntry("eu", true);

        assertThat(liveness.evaluate(3_500)).containsEntry("eu", false);

        liveness.heard("eu", 4_000);
        assertThat(liveness.evaluate(4_000)).as("one heartbeat is not a steady run").isEmpty();
        liveness.heard("eu", 5_500);
        liveness.heard("eu", 7_000);
        assertThat(liveness.evaluate(7_000)).containsEntry("eu", true);
    }

    @Test
    void staysUpWhileHeartbeatsKeepComing() {
        LinkLiveness liveness = new LinkLiveness(List.of("ap"), Duration.ofSeconds(3), 0);
        for (long t = 500; t <= 10_000; t += 500) {
            liveness.heard("ap", t);
            assertThat(liveness.evaluate(t)).isEmpty();
        }
    }
}
