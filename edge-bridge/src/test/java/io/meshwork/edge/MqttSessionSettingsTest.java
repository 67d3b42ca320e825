package io.meshwork.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MqttSessionSettingsTest {

    @Test
    void sessionsAreInMemoryWithHiveMqsQueueUnlessToldOtherwise() {
        MqttSessionSettings settings = EdgeConfig.defaults("us-east-1", "127.0.0.1:9092").mqttSessions();
        assertThat(settings.maxQueuedMessages()).isEqualTo(1000);
        assertThat(settings.overflow()).isEqualTo(MqttSessionSettings.Overflow.DISCARD);
        assertThat(settings.persistentDataDir()).isEmpty();
        assertThat(settings.withDataDir(Path.of("/var/lib/edge")).persistentDataDir()).contains(Path.of("/var/lib/edge"));
    }

    @Test
    void badQueueSettingsNameTheKey() {
        assertThatThrownBy(() -> MqttSessionSettings.DEFAULTS.withQueue(0, MqttSessionSettings.Overflow.DISCARD))
                .hasMessageContaining("edge.mqtt.queue.max.messages: invalid value '0'");
        assertThatThrownBy(() -> MqttSessionSettings.Overflow.of("drop-newest"))
                .hasMessageContaining("edge.mqtt.queue.overflow: invalid value 'drop-newest'")
                .hasMessageContaining("discard or discard-oldest");
        assertThat(MqttSessionSettings.Overflow.of("discard-oldest")).isEqualTo(MqttSessionSettings.Overflow.DISCARD_OLDEST);
    }
}
