package io.meshwork.embedded.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An additional listener (PLAINTEXT, SSL or SASL_PLAINTEXT) of an embedded cluster, bound on 127.0.0.1 at a free port the
 * cluster picks, but advertised to clients as {@code 127.0.0.1:advertisedPort}.
 *
 * <p>This is what makes the WAN emulator work: a client in another region bootstraps through a
 * proxy listening on {@code advertisedPort} that forwards to the listener's bound port
 * ({@link EmbeddedKafkaCluster#listenerPort(String)}). Kafka answers metadata requests with the
 * advertised address of the listener the request arrived on, so the client keeps connecting
 * through the proxy for every broker connection.
 *
 * @param name           listener name, upper case ({@code [A-Z][A-Z0-9_]*}), not {@code CLIENT} or
 *                       {@code CONTROLLER}
 * @param advertisedPort port advertised to clients, 1..65535; for an SSL or SASL_PLAINTEXT listener
 *                       also 0: its bound port (clients reach it directly)
 * @param protocol       its security protocol: PLAINTEXT, SSL (the listener's
 *                       {@code listener.name.<name>.ssl.*} broker properties then carry its stores) or
 *                       SASL_PLAINTEXT (its {@code listener.name.<name>.<mechanism>.sasl.jaas.config}
 *                       and {@code sasl.enabled.mechanisms} broker properties say who may log in)
 */
public record ExtraListener(String name, int advertisedPort, String protocol) {

    static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** A PLAINTEXT listener advertised at {@code advertisedPort}. */
    public ExtraListener(String name, int advertisedPort) {
        this(name, advertisedPort, "PLAINTEXT");
    }

    /**
     * An SSL listener clients reach directly at its bound port ({@link EmbeddedKafkaCluster#listenerPort});
     * its key store (and trust store, for client certificates) come from broker properties
     * {@code listener.name.<name in lower case>.ssl.*}.
     */
    public static ExtraListener ssl(String name) {
        return new ExtraListener(name, 0, "SSL");
    }

    /**
     * A SASL_PLAINTEXT listener clients reach directly at its bound port ({@link EmbeddedKafkaCluster#listenerPort}),
     * e.g. for tests of the ACLs a principal needs under an authoriser; its logins come from broker
     * properties {@code listener.name.<name in lower case>.<mechanism>.sasl.jaas.config}.
     */
    public static ExtraListener saslPlaintext(String name) {
        return new ExtraListener(name, 0, "SASL_PLAINTEXT");
    }

    public ExtraListener {
        if (!"PLAINTEXT".equals(protocol) && !"SSL".equals(protocol) && !"SASL_PLAINTEXT".equals(protocol)) {
            throw new IllegalArgumentException("protocol of listener " + name + " must be PLAINTEXT, SSL or SASL_PLAINTEXT, was '"
                    + protocol + "'");
        }
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "listener name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        if (KafkaClusterSpec.RESERVED_LISTENERS.contains(name)) {
            throw new IllegalArgumentException("listener name " + name + " is reserved by the embedded cluster");
        }
        // 0 (advertised at the bound port) only for a listener reached directly; a WAN listener
        // advertised at 0 would be a mistake.
        if (advertisedPort < ("PLAINTEXT".equals(protocol) ? 1 : 0) || advertisedPort > 65535) {
            throw new IllegalArgumentException(
                    "advertised port of listener " + name + " must be within 1..65535, was " + advertisedPort);
        }
    }
}
