package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkSettingsTest {

    @Test
    void embeddedSettingsFitSingleBrokerClusters() {
        assertThat(LinkSettings.embedded()).isEqualTo(new LinkSettings(1, 1, Duration.ofSeconds(5)));
    }

    @Test
    void productionSettingsReplicateThreeTimes() {
        assertThat(LinkSettings.production().replicationFactor()).isEqualTo(3);
    }

    @Test
    void rejectsCountsBelowOne() {
        assertThatThrownBy(() -> new LinkSettings(0, 1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("links.replication.factor");
        assertThatThrownBy(() -> new LinkSettings(1, 0, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("links.tasks.max");
    }

    @Test
    void rejectsAReplicationFactorBeyondAShort() {
        assertThatThrownBy(() -> new LinkSettings(40_000, 1, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("links.replication.factor");
    }

    @Test
    void rejectsARefreshIntervalThatIsNotAPositiveWholeNumberOfSeconds() {
        assertThatThrownBy(() -> new LinkSettings(1, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkSettings(1, 1, Duration.ofSeconds(-5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkSettings(1, 1, Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> new LinkSettings(1, 1, null)).isInstanceOf(NullPointerException.class);
    }
}
