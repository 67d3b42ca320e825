package io.meshwork.launcher.processes;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * A SCRAM-SHA-256 user of a {@link KafkaProcessCluster}, created when the cluster is formatted.
 *
 * @param name     user name, {@code [A-Za-z0-9._-]+}
 * @param password not blank, without the characters {@code kafka-storage.sh}'s credential syntax reserves ({@code ,[]"})
 */
record ScramUser(String name, String password) {

    static final String MECHANISM = "SCRAM-SHA-256";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern PASSWORD = Pattern.compile("[^,\\[\\]\"\\s]+");

    ScramUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("SCRAM user name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        if (!PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("password of SCRAM user " + name + " must be non-blank without , [ ] \" or spaces");
        }
    }

    /** The {@code --add-scram} argument of {@code kafka-storage.sh format} (and {@code mesh kafka-server --format}). */
    String formatArgument() {
        return MECHANISM + "=[name=" + name + ",password=" + password + "]";
    }

    /** What a client sets to log in as this user on a SASL_PLAINTEXT listener. */
    Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + name + "\" password=\"" + password + "\";");
    }

    @Override
    public String toString() {
        return "ScramUser[" + name + "]";
    }
}
