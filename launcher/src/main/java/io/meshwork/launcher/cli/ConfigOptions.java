package io.meshwork.launcher.cli;

import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import io.meshwork.core.config.MeshKeys;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyException;
import io.meshwork.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} and {@code --set key=value} of the service commands, and how a service's
 * configuration is loaded: defaults &lt; file &lt; environment &lt; flags (the command's convenience
 * flags such as {@code --region}, then {@code --set}).
 */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "The service's YAML configuration (see: mesh config explain <service>).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sets one key over the file and the environment (repeatable), e.g. --set edge.http.port=18080.")
    List<String> sets = new ArrayList<>();

    /** A loaded configuration and the topology it names. */
    record Loaded(MeshConfig config, Topology topology) {
    }

    /**
     * Loads the configuration of one service.
     *
     * @param aliases  puts the command's convenience flags ({@code --region} ...) as their keys
     * @param derived  defaults that depend on the topology (ports), given the first pass of the configuration
     * @throws ConfigError naming the file (or variable, or flag), the key and the problem
     */
    Loaded load(ConfigSchema schema, Consumer<ConfigLoader> aliases, BiFunction<MeshConfig, Topology, Map<String, String>> derived) {
        MeshConfig first = loader(schema, aliases, Map.of()).load();
        Topology topology = topology(first);
        if (first.schema().key(MeshKeys.REGION).isPresent()) {
            String region = first.string(MeshKeys.REGION);
            if (!topology.regionNames().contains(region)) {
                throw new ConfigError(first.source(MeshKeys.REGION), MeshKeys.REGION,
                        "region '" + region + "' is not in the topology (regions: " + topology.regionNames() + ")");
            }
        }
        Map<String, String> defaults = derived.apply(first, topology);
        return new Loaded(defaults.isEmpty() ? first : loader(schema, aliases, defaults).load(), topology);
    }

    private ConfigLoader loader(ConfigSchema schema, Consumer<ConfigLoader> aliases, Map<String, String> defaults) {
        ConfigLoader loader = ConfigLoader.of(schema).defaults(defaults);
        if (file != null) {
            loader.file(file);
        }
        loader.environment(System.getenv());
        aliases.accept(loader);
        loader.flags(parseSets(), "--set");
        return loader;
    }

    private Map<String, String> parseSets() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String set : sets) {
            int equals = set.indexOf('=');
            if (equals <= 0) {
                throw new ConfigError("--set", set, "expected KEY=VALUE");
            }
            values.put(set.substring(0, equals).trim(), set.substring(equals + 1));
        }
        return values;
    }

    private static Topology topology(MeshConfig config) {
        String file = config.string(MeshKeys.TOPOLOGY);
        try {
            return file == null ? TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE) : TopologyLoader.load(Path.of(file));
        } catch (TopologyException | IllegalArgumentException e) {
            throw new ConfigError(config.source(MeshKeys.TOPOLOGY), MeshKeys.TOPOLOGY, String.valueOf(e.getMessage()));
        }
    }
}
