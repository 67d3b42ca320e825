package io.meshwork.launcher.cli;

import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --topology FILE}, defaulting to the embedded three-region topology. */
final class TopologyOption {

    @Option(names = "--topology", paramLabel = "FILE",
            description = "Topology YAML (regions, ports, links). Default: the built-in three-region topology.")
    Path file;

    Topology load() {
        return file == null ? TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE) : TopologyLoader.load(file);
    }
}
