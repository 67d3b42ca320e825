package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.config.InvalidSettingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {

    private final KafkaClients clients = KafkaClients.of(Map.of(
            "bootstrap.servers", "k:9092",
            "security.protocol", "SASL_SSL",
            "sasl.jaas.config", "secret-value",
            "isolation.level", "read_uncommitted"));

    @Test
    void theUsersSettingsReachEveryClientAndTheRoleWins() {
        Map<String, Object> config = clients.config("test consumer", Map.of("isolation.level", "read_committed", "group.id", "g"));

        assertThat(config)
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("group.id", "g");
    }

    @Test
    void mirrorMakerGetsEverySettingBehindTheClusterAlias() {
        assertThat(clients.prefixed("us-east-1."))
                .containsEntry("us-east-1.bootstrap.servers", "k:9092")
                .containsEntry("us-east-1.sasl.jaas.config", "secret-value")
                .hasSize(4);
    }

    @Test
    void bootstrapServersAreRequired() {
        assertThatThrownBy(() -> KafkaClients.of(Map.of("security.protocol", "SSL")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("kafka.bootstrap.servers: missing required value");
    }

    @Test
    void neverShowsAValue() {
        assertThat(clients.toString()).contains("sasl.jaas.config").doesNotContain("secret-value");
    }
}
