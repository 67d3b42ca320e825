package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlPlaneConfigTest {

    private final ControlPlaneConfig valid = new ControlPlaneConfig("127.0.0.1", 8080);

    @Test
    void defaultsToAnEmbeddedDatabaseReadingNoRegion() {
        assertThat(valid.database().isEmbedded()).isTrue();
        assertThat(valid.regionKafka()).isEmpty();
        assertThat(valid.nodeTimeout()).isEqualTo(ControlPlaneConfig.DEFAULT_NODE_TIMEOUT);
    }

    @Test
    void refusesBadSettingsNamingTheKey() {
        assertThatThrownBy(() -> valid.withNodeTimeout(Duration.ofMillis(10))).hasMessageContaining("control-plane.node.timeout");
        assertThatThrownBy(() -> valid.withRegionKafka(Map.of("us-east-1", KafkaClients.of(" ")))).hasMessageContaining("kafka.bootstrap.servers");
        assertThatThrownBy(() -> valid.withDatabase(null)).hasMessageContaining("control-plane.database");
        assertThatThrownBy(() -> new ControlPlaneConfig("127.0.0.1", 70000)).hasMessageContaining("control-plane.port: invalid value '70000'");
    }

    @Test
    void neverPrintsAPasswordFromTheUrl() {
        assertThat(DatabaseSettings.external("jdbc:postgresql://db/mesh?user=mesh&password=s3cret&ssl=true", "mesh", null).toString())
                .doesNotContain("s3cret").contains("password=***");
    }
}
