package io.meshwork.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EdgeDeliveryTest {

    @Test
    void edgesDeliverDirectlyUnlessToldOtherwise() {
        EdgeConfig config = EdgeConfig.defaults("us-east-1", "127.0.0.1:9092");
        assertThat(config.delivery()).isEqualTo(EdgeDelivery.DIRECT);
        assertThat(config.withDelivery(EdgeDelivery.routed(3)).delivery().isRouted()).isTrue();
        assertThat(EdgeDelivery.routed().partition()).isEqualTo(EdgeDelivery.HASHED);
    }

    @Test
    void badDeliverySettingsNameTheKey() {
        assertThatThrownBy(() -> EdgeDelivery.routed(-2)).hasMessageContaining("edge.delivery.partition: invalid value '-2'");
        assertThatThrownBy(() -> new EdgeDelivery(EdgeDelivery.Mode.DIRECT, 4))
                .hasMessageContaining("edge.delivery.partition: invalid value '4'").hasMessageContaining("edge.delivery.mode=routed");
        assertThatThrownBy(() -> new EdgeDelivery(null, EdgeDelivery.HASHED)).hasMessageContaining("edge.delivery.mode");
        assertThatThrownBy(() -> EdgeConfig.defaults("us-east-1", "127.0.0.1:9092").withDelivery(null))
                .hasMessageContaining("edge.delivery.mode");
    }
}
