package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpoolRetentionTest {

    @Test
    void seedSpoolIsFiftyGigabytesPerLinkSharedByItsPartitions() {
        assertThat(SpoolRetention.SEED.topicConfigs(3))
                .containsEntry("retention.bytes", Long.toString(50L * 1024 * 1024 * 1024 / 3))
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()));
    }

    @Test
    void refusesASpoolTooSmallOrTooShortNamingTheSetting() {
        assertThatThrownBy(() -> new SpoolRetention(1000, Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spool.retention.bytes");
        assertThatThrownBy(() -> new SpoolRetention(1L << 30, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spool.retention.time");
    }
}
