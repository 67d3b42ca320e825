package io.meshwork.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsEveryShortUnitAndIso8601() {
        assertThat(Durations.parse("10ms")).isEqualTo(Duration.ofMillis(10));
        assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT10S")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("P7D")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void refusesAnythingElseSayingWhatIsAccepted() {
        assertThatThrownBy(() -> Durations.parse("10 minutes")).hasMessageContaining("10ms, 5s, 15m");
        assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageContaining("ISO-8601");
    }

    @Test
    void formatsDefaultsInTheShortestExactUnit() {
        assertThat(Durations.format(Duration.ofMillis(10))).isEqualTo("10ms");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ofSeconds(3))).isEqualTo("3s");
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.parse(Durations.format(Duration.ofSeconds(90)))).isEqualTo(Duration.ofSeconds(90));
    }
}
