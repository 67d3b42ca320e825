package io.meshwork.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeHeartbeatTest {

    @Test
    void roundTripsThroughJson() {
        NodeHeartbeat beat = new NodeHeartbeat("edge-us-1", NodeRole.EDGE, "us-east-1", "10.0.0.1", "http://10.0.0.1:18080",
                NodeStatus.ACTIVE, 12, 33.5, 1000);
        assertThat(NodeHeartbeat.decode(beat.encode())).isEqualTo(beat);
    }

    @Test
    void refusesValuesTheDirectoryCannotHoldNamingTheField() {
        assertThatThrownBy(() -> new NodeHeartbeat("n", NodeRole.EDGE, "r", "ip", null, NodeStatus.ACTIVE, -1, 0, 0))
                .hasMessageContaining("connections=-1");
        assertThatThrownBy(() -> new NodeHeartbeat("n", NodeRole.EDGE, "r", "ip", null, NodeStatus.ACTIVE, 0, 101, 0))
                .hasMessageContaining("cpuPercent=101");
        assertThatThrownBy(() -> new NodeHeartbeat("x".repeat(129), NodeRole.EDGE, "r", "ip", null, NodeStatus.ACTIVE, 0, 0, 0))
                .hasMessageContaining("name=");
        assertThatThrownBy(() -> NodeHeartbeat.decode("{\"name\":\"n\"}".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }
}
