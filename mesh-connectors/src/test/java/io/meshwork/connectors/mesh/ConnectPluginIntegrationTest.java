package io.meshwork.connectors.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.PluginDesc;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin (built at {@code package}, before integration tests run) as a worker sees it
 * through {@code plugin.path}: Connect's own plugin scanner finds both connectors in the
 * directory, and they run from the plugin's isolated class loader with only the jars packaged
 * beside them and what the worker provides.
 */
@Tag("integration")
class ConnectPluginIntegrationTest {

    private static final Path PLUGIN_PATH = Path.of("target", "meshwork-connect-plugin");

    @Test
    void thePluginDirectoryHoldsTheConnectorsAndTheirDependenciesButNotKafka() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(PLUGIN_PATH.resolve("meshwork-connect-plugin"))) {
            jars = files.map(file -> file.getFileName().toString()).toList();
        }
        assertThat(jars).anyMatch(jar -> jar.startsWith("meshwork-connectors-")).anyMatch(jar -> jar.startsWith("meshwork-core-"))
                .anyMatch(jar -> jar.startsWith("artemis-selector-")).anyMatch(jar -> jar.startsWith("cloudevents-kafka-"));
        assertThat(jars).noneMatch(jar -> jar.startsWith("kafka-clients-") || jar.startsWith("connect-") || jar.startsWith("slf4j-"));
        assertThat(Path.of("target", "meshwork-connect-plugin.zip")).exists();
    }

    @Test
    void connectFindsBothConnectorsOnThePluginPathAndTheyLoadInIsolation() throws Exception {
        Plugins plugins = new Plugins(Map.of("plugin.path", PLUGIN_PATH.toAbsolutePath().toString(), "plugin.discovery", "service_load"));
        PluginDesc<?> sink = fromPluginPath(plugins.sinkConnectors(), MeshSinkConnector.class);
        PluginDesc<?> source = fromPluginPath(plugins.sourceConnectors(), MeshSourceConnector.class);

        Connector isolated = (Connector) source.pluginClass().getDeclaredConstructor().newInstance();
        assertThat(isolated.getClass().getClassLoader()).isNotSameAs(MeshSourceConnector.class.getClassLoader());
        // Validating a pattern and a selector runs the mesh's topic and selector code from the packaged jars.
        List<ConfigValue> values = isolated.validate(Map.of(MeshRegionConfig.REGION, "us-east-1",
                MeshRegionConfig.BOOTSTRAP_SERVERS, "127.0.0.1:9092", MeshSourceConfig.TOPIC_PATTERN, "orders/+",
                MeshSourceConfig.SELECTOR, "amountCents > 10000 AND currency = 'USD'", MeshSourceConfig.TARGET_TOPIC, "out"))
                .configValues();
        assertThat(values).allSatisfy(value -> assertThat(value.errorMessages()).as(value.name()).isEmpty());
        assertThat(sink.pluginClass().getDeclaredConstructor().newInstance()).isInstanceOf(Connector.class);
    }

    private static PluginDesc<?> fromPluginPath(java.util.Set<? extends PluginDesc<?>> found, Class<?> connector) {
        return found.stream().filter(desc -> desc.className().equals(connector.getName()))
                .filter(desc -> desc.location().contains("meshwork-connect-plugin")).findFirst()
                .orElseThrow(() -> new AssertionError(connector.getSimpleName() + " not found on plugin.path " + PLUGIN_PATH + ": " + found));
    }
}
