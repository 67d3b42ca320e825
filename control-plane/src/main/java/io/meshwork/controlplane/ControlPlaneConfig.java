package io.meshwork.controlplane;

import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the control plane. Validated when built, naming the setting at fault.
 *
 * @param host         interface the ops API binds to
 * @param port         ops API port (8080 in the embedded mesh); 0 picks a free one
 * @param database     where the broker directory, routing rules and traces are kept
 * @param regionKafka  region → client settings of its Kafka cluster: the control plane reads
 *                     each region's {@code mesh.heartbeats} and {@code mesh.traces} and writes
 *                     routing rules into its {@code mesh.interest}; empty: none of that
 * @param nodeTimeout  a node whose last heartbeat is older than this is marked OFFLINE
 * @param otlp         where trace hops are exported as OpenTelemetry spans ({@link OtlpSettings#OFF}: nowhere)
 */
public record ControlPlaneConfig(String host, int port, DatabaseSettings database, Map<String, KafkaClients> regionKafka,
                                 Duration nodeTimeout, OtlpSettings otlp) {

    /** Default node timeout: five missed heartbeats (nodes send one a second). */
    public static final Duration DEFAULT_NODE_TIMEOUT = Duration.ofSeconds(5);

    /** The ops API alone on an embedded database, reading no region. */
    public ControlPlaneConfig(String host, int port) {
        this(host, port, DatabaseSettings.embedded(), Map.of(), DEFAULT_NODE_TIMEOUT, OtlpSettings.OFF);
    }

    public ControlPlaneConfig {
        InvalidSettingException.require(host != null && !host.isBlank(), ControlPlaneKeys.HOST, host, "must be non-blank");
        InvalidSettingException.require(port >= 0 && port <= 65535, ControlPlaneKeys.PORT, port, "must be within 0..65535");
        if (database == null) {
            throw new InvalidSettingException(ControlPlaneKeys.DATABASE_URL, "missing database settings");
        }
        Objects.requireNonNull(regionKafka, "regionKafka");
        regionKafka.forEach((region, kafka) -> {
            if (region == null || region.isBlank() || kafka == null) {
                throw new InvalidSettingException(ControlPlaneKeys.REGIONS.key(String.valueOf(region), "bootstrap.servers"),
                        "every region needs its cluster's bootstrap servers");
            }
        });
        regionKafka = Map.copyOf(new LinkedHashMap<>(regionKafka));
        InvalidSettingException.require(nodeTimeout != null && nodeTimeout.toMillis() >= 500, ControlPlaneKeys.NODE_TIMEOUT,
                nodeTimeout, "must be at least 500 ms");
        otlp = otlp == null ? OtlpSettings.OFF : otlp;
    }

    public ControlPlaneConfig withDatabase(DatabaseSettings settings) {
        return new ControlPlaneConfig(host, port, settings, regionKafka, nodeTimeout, otlp);
    }

    /** Reads the heartbeats and traces of these regions and writes routing rules into them. */
    public ControlPlaneConfig withRegionKafka(Map<String, KafkaClients> kafka) {
        return new ControlPlaneConfig(host, port, database, kafka, nodeTimeout, otlp);
    }

    public ControlPlaneConfig withNodeTimeout(Duration timeout) {
        return new ControlPlaneConfig(host, port, database, regionKafka, timeout, otlp);
    }

    /** Exports trace hops as spans as {@code settings} say. */
    public ControlPlaneConfig withOtlp(OtlpSettings settings) {
        return new ControlPlaneConfig(host, port, database, regionKafka, nodeTimeout, settings);
    }
}
