package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublishQosTest {

    @Test
    void stampsThePublishQosAsTheMqttqosExtension() {
        CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(URI.create("/s")).withType("t")
                .withExtension(PublishQos.ATTRIBUTE, "0").build();

        CloudEvent stamped = PublishQos.stamp(event, Qos.EXACTLY_ONCE);

        assertThat(stamped.getExtension("mqttqos")).isEqualTo(2);
        assertThat(stamped.getId()).isEqualTo("1");
    }

    @Test
    void readsTheQosFromTheHeadersAndDefaultsToAtLeastOnce() {
        assertThat(PublishQos.of(Map.of("mqttqos", "0"))).isEqualTo(Qos.AT_MOST_ONCE);
        assertThat(PublishQos.of(Map.of("mqttqos", "1"))).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(PublishQos.of(Map.of("mqttqos", "2"))).isEqualTo(Qos.EXACTLY_ONCE);
        assertThat(PublishQos.of(Map.of())).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(PublishQos.of(Map.of("mqttqos", "3"))).isEqualTo(Qos.AT_LEAST_ONCE);
        assertThat(PublishQos.of(Map.of("mqttqos", "two"))).isEqualTo(Qos.AT_LEAST_ONCE);
    }
}
