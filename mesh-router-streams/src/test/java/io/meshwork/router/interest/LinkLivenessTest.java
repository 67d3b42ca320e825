package io.meshwork.router.interest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkLivenessTest {

    @Test
    void downAfterTheTimeoutAndUpOnlyAfterASteadyRun() {
        LinkLiveness liveness = new LinkLiveness(List.of("eu"), Duration.ofSeconds(3), 0);
        assertThat(liveness.evaluate(5_000)).as("one timeout of grace after start").isEmpty();
        assertThat(liveness.states()).containsEntry("eu", true);

        assertThat(liveness.evaluate(6_500)).containsEntry("eu", false);

        liveness.heard("eu", 7_000, -1);
        assertThat(liveness.evaluate(7_000)).as("one heartbeat is not a steady run").isEmpty();
        liveness.heard("eu", 8_500, -1);
        liveness.heard("eu", 10_000, -1);
        assertThat(liveness.evaluate(10_000)).containsEntry("eu", true);
    }

    @Test
    void heartbeatsArrivingSoonAfterStartKeepTheLinkUp() {
        LinkLiveness liveness = new LinkLiveness(List.of("eu"), Duration.ofSeconds(3), 0);
        liveness.heard("eu", 4_000, -1);
        assertThat(liveness.evaluate(6_500)).isEmpty();
        assertThat(liveness.evaluate(7_500)).containsEntry("eu", false);
    }

    @Test
    void staysUpWhileHeartbeatsKeepComing() {
        LinkLiveness liveness = new LinkLiveness(List.of("ap"), Duration.ofSeconds(3), 0);
        for (long t = 500; t <= 10_000; t += 500) {
            liveness.heard("ap", t, -1);
            assertThat(liveness.evaluate(t)).isEmpty();
        }
    }
}
