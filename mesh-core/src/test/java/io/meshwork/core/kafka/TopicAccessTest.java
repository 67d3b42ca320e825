package io.meshwork.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.config.InvalidSettingException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class TopicAccessTest {

    private static final KafkaClients PLAIN = KafkaClients.of("broker:9092");
    private static final KafkaClients SCRAM = PLAIN.with("security.protocol", "SASL_SSL")
            .with("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" password=\"s3cret\";");

    @Test
    void refusalNamesTheSaslLoginKeyAndItsUserButNotThePassword() {
        InvalidSettingException refused = new TopicAccess(SCRAM, "kafka.")
                .refused(new ExecutionException(new TopicAuthorizationException("Authorization failed.")), "cannot create topic mesh.events")
                .orElseThrow();

        assertThat(refused.key()).isEqualTo("kafka.sasl.jaas.config");
        assertThat(refused.problem()).contains("principal User:bob is not authorised by the cluster at broker:9092: cannot create topic mesh.events")
                .doesNotContain("s3cret");
    }

    @Test
    void refusalNamesTheKeyStoreForATlsPrincipalAndTheProtocolForAnAnonymousOne() {
        KafkaClients tls = PLAIN.with("security.protocol", "SSL").with("ssl.keystore.location", "/etc/mesh/edge.p12");
        TopicAuthorizationException refusal = new TopicAuthorizationException("Authorization failed.");

        assertThat(new TopicAccess(tls, "links.neighbours.eu-west-1.kafka.").refused(refusal, "x").orElseThrow().key())
                .isEqualTo("links.neighbours.eu-west-1.kafka.ssl.keystore.location");
        assertThat(new TopicAccess(PLAIN, "kafka.").refused(refusal, "x").orElseThrow().problem())
                .contains("the principal of kafka.security.protocol is not authorised");
    }

    @Test
    void otherFailuresAreNoRefusalOfThePrincipal() {
        assertThat(new TopicAccess(SCRAM, "kafka.").refused(new IllegalStateException("cannot list topics",
                new TimeoutException("no answer")), "cannot list topics")).isEmpty();
    }
}
