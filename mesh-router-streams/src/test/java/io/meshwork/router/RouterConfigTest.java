package io.meshwork.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

    private static RouterConfig config() {
        return new RouterConfig("us-east-1", "localhost:9092", List.of(), List.of(), 1, Path.of("state"), Duration.ofMillis(500));
    }

    @Test
    void theCommitIntervalDefaultsToTheMeasuredChoice() {
        assertThat(config().commitInterval()).isEqualTo(RouterConfig.DEFAULT_COMMIT_INTERVAL);
        assertThat(config().withCommitInterval(Duration.ofMillis(50)).commitInterval()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aCommitIntervalOutsideOneMillisecondToAMinuteIsRefusedByItsKey() {
        assertThatThrownBy(() -> config().withCommitInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("router.commit.interval");
        assertThatThrownBy(() -> config().withCommitInterval(Duration.ofMinutes(2)))
                .hasMessageContaining("router.commit.interval").hasMessageContaining("1 ms..60 s");
        assertThatThrownBy(() -> config().withCommitInterval(null)).hasMessageContaining("router.commit.interval");
    }

    @Test
    void oneStreamThreadByDefaultAndAnotherCountOnRequest() {
        assertThat(config().numStreamThreads()).isEqualTo(1);
        assertThat(config().withNumStreamThreads(4).numStreamThreads()).isEqualTo(4);
    }

    @Test
    void aStreamThreadCountOutsideOneToSixtyFourIsRefusedByItsKey() {
        assertThatThrownBy(() -> config().withNumStreamThreads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("router.num.stream.threads: invalid value '0'")
                .hasMessageContaining("1..64");
        assertThatThrownBy(() -> config().withNumStreamThreads(65)).hasMessageContaining("router.num.stream.threads: invalid value '65'");
    }
}
