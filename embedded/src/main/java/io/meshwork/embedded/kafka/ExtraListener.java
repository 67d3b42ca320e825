package io.meshwork.embedded.kafka;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An additional PLAINTEXT listener of an embedded cluster, bound on 127.0.0.1 at a free port the
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
 * @param advertisedPort port advertised to clients, 1..65535
 */
public record ExtraListener(String name, int advertisedPort) {

    static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

    public ExtraListener {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "listener name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        if (KafkaClusterSpec.RESERVED_LISTENERS.contains(name)) {
            throw new IllegalArgumentException("listener name " + name + " is reserved by the embedded cluster");
        }
        if (advertisedPort < 1 || advertisedPort > 65535) {
            throw new IllegalArgumentException(
                    "advertised port of listener " + name + " must be within 1..65535, was " + advertisedPort);
        }
    }
}
