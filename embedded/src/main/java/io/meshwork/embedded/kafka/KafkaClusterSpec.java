package io.meshwork.embedded.kafka;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an {@link EmbeddedKafkaCluster} should look like. Immutable; the withers return copies.
 *
 * @param name            cluster name, usually the region ({@code [a-z][a-z0-9-]*}); appears in
 *                        thread names, log lines, error messages and the temp directory name
 * @param clientPort      port of the {@code CLIENT} listener on 127.0.0.1, or 0 to pick a free one
 * @param extraListeners  additional listeners, see {@link ExtraListener}; names are unique
 * @param brokerOverrides broker properties applied last, over the fixture's defaults
 */
public record KafkaClusterSpec(
        String name, int clientPort, List<ExtraListener> extraListeners, Map<String, String> brokerOverrides) {

    /** Listener names the fixture uses itself. */
    static final Set<String> RESERVED_LISTENERS = Set.of("CLIENT", "CONTROLLER");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    public KafkaClusterSpec {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("cluster name must match " + NAME.pattern() + ", was '" + name + "'");
        }
        if (clientPort < 0 || clientPort > 65535) {
            throw new IllegalArgumentException(
                    "client port of cluster " + name + " must be within 0..65535, was " + clientPort);
        }
        extraListeners = List.copyOf(extraListeners);
        Set<String> seen = new HashSet<>();
        for (ExtraListener listener : extraListeners) {
            if (!seen.add(listener.name())) {
                throw new IllegalArgumentException(
                        "cluster " + name + " has listener " + listener.name() + " more than once");
            }
        }
        // Map.copyOf would lose the order; keep it so the effective config reads like the code.
        brokerOverrides.forEach((key, value) -> {
            Objects.requireNonNull(key, "broker property name");
            Objects.requireNonNull(value, () -> "value of broker property " + key);
        });
        brokerOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(brokerOverrides));
    }

    /** A cluster with a free client port, no extra listeners and the default broker config. */
    public static KafkaClusterSpec named(String name) {
        return new KafkaClusterSpec(name, 0, List.of(), Map.of());
    }

    /** This spec with the client listener on {@code port} (0 = pick a free port). */
    public KafkaClusterSpec withClientPort(int port) {
        return new KafkaClusterSpec(name, port, extraListeners, brokerOverrides);
    }

    /** This spec with one more listener. */
    public KafkaClusterSpec withExtraListener(ExtraListener listener) {
        List<ExtraListener> listeners = new ArrayList<>(extraListeners);
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return new KafkaClusterSpec(name, clientPort, listeners, brokerOverrides);
    }

    /** This spec with broker property {@code key} set to {@code value}, replacing any earlier value. */
    public KafkaClusterSpec withBrokerProperty(String key, String value) {
        Map<String, String> overrides = new LinkedHashMap<>(brokerOverrides);
        overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new KafkaClusterSpec(name, clientPort, extraListeners, overrides);
    }
}
