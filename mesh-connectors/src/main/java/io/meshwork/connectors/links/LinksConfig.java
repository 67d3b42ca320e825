package io.meshwork.connectors.links;

import io.meshwork.core.kafka.KafkaClients;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of one region's links ({@code mesh links}).
 *
 * @param region     the region the links lead into (and out of, in push mode)
 * @param kafka      client settings of this region's cluster
 * @param neighbours client settings of each neighbour's cluster, as this region reaches it
 * @param mode       what carries the data
 * @param settings   replication, tasks, refresh interval
 */
public record LinksConfig(String region, KafkaClients kafka, Map<String, KafkaClients> neighbours, LinkMode mode,
                          LinkSettings settings) {

    public LinksConfig {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(settings, "settings");
        neighbours = java.util.Collections.unmodifiableMap(new TreeMap<>(neighbours));
    }

    /** The MirrorMaker 2 properties of these links ({@link LinkConfigs#mirrorMakerFor}), with every cluster's client settings. */
    public Map<String, String> mirrorMakerProperties() {
        return LinkConfigs.mirrorMakerFor(region, kafka, neighbours, settings);
    }

    /** Starts the links in {@link #mode}. */
    public RegionLinks start(java.time.Duration timeout) throws InterruptedException {
        return mode == LinkMode.PUSH
                ? RegionPushLinks.start(region, kafka, neighbours, settings)
                : RegionMirror.start(region, kafka, neighbours, settings, timeout);
    }
}
