package io.meshwork.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KafkaClusterSpecTest {

    @Test
    void namedSpecPicksAFreePortAndHasNoExtras() {
        KafkaClusterSpec spec = KafkaClusterSpec.named("us-east-1");

        assertThat(spec.name()).isEqualTo("us-east-1");
        assertThat(spec.clientPort()).isZero();
        assertThat(spec.extraListeners()).isEmpty();
        assertThat(spec.brokerOverrides()).isEmpty();
    }

    @Test
    void withersReturnCopies() {
        KafkaClusterSpec base = KafkaClusterSpec.named("eu-west-1");
        KafkaClusterSpec spec = base.withClientPort(29092)
                .withExtraListener(new ExtraListener("WAN_US", 40001))
                .withBrokerProperty("num.io.threads", "2")
                .withBrokerProperty("num.io.threads", "3");

        assertThat(base.clientPort()).isZero();
        assertThat(spec.clientPort()).isEqualTo(29092);
        assertThat(spec.extraListeners()).containsExactly(new ExtraListener("WAN_US", 40001));
        assertThat(spec.brokerOverrides()).containsExactly(Map.entry("num.io.threads", "3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "US-east", "1region", "us_east", "us east", "-us"})
    void rejectsBadClusterNames(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> KafkaClusterSpec.named(name))
                .withMessageContaining("cluster name");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void rejectsClientPortsOutOfRange(int port) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KafkaClusterSpec.named("us-east-1").withClientPort(port))
                .withMessageContaining("us-east-1").withMessageContaining(Integer.toString(port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wan", "Wan", "1WAN", "WAN-US", "", "CLIENT", "CONTROLLER"})
    void rejectsBadListenerNames(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ExtraListener(name, 40001))
                .withMessageContaining(name);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 65536})
    void rejectsAdvertisedPortsOutOfRange(int port) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ExtraListener("WAN_US", port))
                .withMessageContaining("WAN_US");
    }

    @Test
    void rejectsDuplicateListenerNames() {
        KafkaClusterSpec spec = KafkaClusterSpec.named("ap-southeast-1").withExtraListener(new ExtraListener("WAN_EU", 40001));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> spec.withExtraListener(new ExtraListener("WAN_EU", 40002)))
                .withMessageContaining("WAN_EU").withMessageContaining("ap-southeast-1");
    }

    @Test
    void copiesCollectionsDefensively() {
        var listeners = new java.util.ArrayList<>(List.of(new ExtraListener("WAN_A", 40001)));
        var overrides = new java.util.HashMap<>(Map.of("a", "b"));
        KafkaClusterSpec spec = new KafkaClusterSpec("x", 0, listeners, overrides);
        listeners.clear();
        overrides.clear();

        assertThat(spec.extraListeners()).hasSize(1);
        assertThat(spec.brokerOverrides()).hasSize(1);
    }

    @Test
    void brokerPropertiesApplyOverridesLastAndDeclareEveryListener() {
        KafkaClusterSpec spec = KafkaClusterSpec.named("us-east-1")
                .withExtraListener(new ExtraListener("WAN_EU", 40001))
                .withBrokerProperty("num.partitions", "3");
        ClusterLayout layout = new ClusterLayout(19092, 19093, Map.of("WAN_EU", 19094), java.nio.file.Path.of("/tmp/x"));

        Map<String, String> props = BrokerProperties.of(spec, layout);

        assertThat(props)
                .containsEntry("num.partitions", "3")
                .containsEntry("listeners", "CLIENT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093,WAN_EU://127.0.0.1:19094")
                .containsEntry("advertised.listeners", "CLIENT://127.0.0.1:19092,WAN_EU://127.0.0.1:40001")
                .containsEntry("listener.security.protocol.map", "CLIENT:PLAINTEXT,CONTROLLER:PLAINTEXT,WAN_EU:PLAINTEXT")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:19093");
    }
}
