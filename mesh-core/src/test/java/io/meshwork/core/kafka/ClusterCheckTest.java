package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.meshwork.core.config.InvalidSettingException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCheckTest {

    @Test
    void aClusterThatDoesNotAnswerIsNamedByItsBootstrapKey() {
        assertThatThrownBy(() -> ClusterCheck.verify(KafkaClients.of("127.0.0.1:1"), "kafka.", Duration.ofSeconds(1)))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("kafka.bootstrap.servers: cluster 127.0.0.1:1 did not answer within 1000 ms");
    }

    @Test
    void aSettingKafkaRejectsIsNamedWithItsPrefixWithoutConnecting() {
        KafkaClients far = KafkaClients.of(Map.of("bootstrap.servers", "127.0.0.1:1", "acks", "most"));

        assertThatThrownBy(() -> ClusterCheck.validate(far, "links.neighbours.eu-west-1.kafka."))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("links.neighbours.eu-west-1.kafka.acks: rejected by the Kafka client");
        assertThatNoException().isThrownBy(() -> ClusterCheck.validate(KafkaClients.of("127.0.0.1:1"), "kafka."));
    }
}
