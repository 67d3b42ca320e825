package io.meshwork.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.MeshConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaKeysTest {

    @Test
    void schemasAreOffByDefault() {
        SchemaSettings settings = EdgeKeys.schemas(load(Map.of()));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings).isEqualTo(SchemaSettings.OFF);
    }

    @Test
    void theKeysBecomeTheSettings() {
        SchemaSettings settings = EdgeKeys.schemas(load(Map.of(SchemaKeys.REGISTRY_URL, "http://127.0.0.1:8081/",
                SchemaKeys.GROUP, "payments", SchemaKeys.CACHE_TTL, "5s", SchemaKeys.UNREACHABLE, "REFUSE")));
        assertThat(settings).isEqualTo(new SchemaSettings(URI.create("http://127.0.0.1:8081/"), "payments", Duration.ofSeconds(5),
                SchemaSettings.Unreachable.REFUSE));
    }

    @Test
    void badValuesFailAtStartNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of(SchemaKeys.REGISTRY_URL, "ftp://registry")))
                .isInstanceOf(ConfigError.class).hasMessageContaining(SchemaKeys.REGISTRY_URL);
        assertThatThrownBy(() -> load(Map.of(SchemaKeys.UNREACHABLE, "ignore")))
                .isInstanceOf(ConfigError.class).hasMessageContaining(SchemaKeys.UNREACHABLE);
        assertThatThrownBy(() -> load(Map.of(SchemaKeys.CACHE_TTL, "10ms")))
                .isInstanceOf(ConfigError.class).hasMessageContaining(SchemaKeys.CACHE_TTL);
    }

    private static MeshConfig load(Map<String, String> values) {
        Map<String, String> flags = new HashMap<>(values);
        flags.put("mesh.region", "us-east-1");
        return ConfigLoader.of(EdgeKeys.schema()).flags(flags, "--set").load();
    }
}
