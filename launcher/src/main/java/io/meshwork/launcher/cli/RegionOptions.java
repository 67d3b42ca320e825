package io.meshwork.launcher.cli;

import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.core.kafka.KafkaClients;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --topology}, {@code --region} and {@code --kafka} of the commands that serve one region
 * (edge, router, links, {@code topics apply}): convenience flags for {@code mesh.topology},
 * {@code mesh.region} and {@code kafka.bootstrap.servers}.
 */
final class RegionOptions {

    @Mixin
    TopologyOption topology;

    @Option(names = "--region", description = "The region it serves, e.g. us-east-1 (key mesh.region).")
    String region;

    @Option(names = "--kafka", paramLabel = "HOST:PORT", description = "The region's Kafka bootstrap servers (key kafka.bootstrap.servers).")
    String bootstrapServers;

    /** Puts the flags given as their keys, named by flag in errors. */
    ConfigLoader aliases(ConfigLoader loader) {
        return loader.flag(MeshKeys.TOPOLOGY, topology.file, "--topology")
                .flag(MeshKeys.REGION, region, "--region")
                .flag(KafkaClients.PREFIX + "bootstrap.servers", bootstrapServers, "--kafka");
    }
}
