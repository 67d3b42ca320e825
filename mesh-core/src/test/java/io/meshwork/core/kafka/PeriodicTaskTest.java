package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeriodicTaskTest {

    @Test
    void runsAtOnceAndThenRepeatedlyOnItsOwnNamedThread() {
        AtomicInteger runs = new AtomicInteger();
        String[] thread = new String[1];
        try (PeriodicTask task = PeriodicTask.start("beat-test", Duration.ofMillis(20), () -> {
            thread[0] = Thread.currentThread().getName();
            runs.incrementAndGet();
        })) {
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
        }
        assertThat(thread[0]).isEqualTo("beat-test");
    }

    @Test
    void runsNoMoreOnceClosed() {
        AtomicInteger runs = new AtomicInteger();
        PeriodicTask task = PeriodicTask.start("beat-test", Duration.ofMillis(10), runs::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 1);
        task.close();
        int afterClose = runs.get();
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> runs.get() == afterClose);
    }

    @Test
    void refusesAnIntervalThatIsNotPositive() {
        assertThatThrownBy(() -> PeriodicTask.start("x", Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }
}
