package io.meshwork.launcher.cli;

import io.meshwork.connectors.links.LinksKeys;
import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.config.ConfigExplainer;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.router.RouterKeys;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mesh config explain <service>}: every key a service reads, with its type, default, valid values and meaning. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Explain the services' configuration keys.",
        subcommands = ConfigCommand.Explain.class)
final class ConfigCommand {

    /** The schema of every service that runs from a configuration file, by command name. */
    static final Map<String, Supplier<ConfigSchema>> SCHEMAS = new TreeMap<>(Map.of(
            "edge", EdgeKeys::schema,
            "router", RouterKeys::schema,
            "links", LinksKeys::schema,
            "control-plane", ControlPlaneKeys::schema));

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Print every key of a service with its type, default, valid values, environment variable and meaning.")
    static final class Explain implements Callable<Integer> {

        @Parameters(paramLabel = "SERVICE", description = "edge, router, links or control-plane.")
        String service;

        @Override
        public Integer call() {
            Supplier<ConfigSchema> schema = SCHEMAS.get(service);
            if (schema == null) {
                System.err.println("mesh config explain: unknown service '" + service + "' (one of " + SCHEMAS.keySet() + ")");
                return MeshCli.CONFIG_ERROR;
            }
            System.out.print(ConfigExplainer.explain(schema.get()));
            return 0;
        }
    }
}
