package io.meshwork.launcher.internal;

import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import java.util.Map;

/**
 * The embedded mesh's services configured through the same model as the deployed ones: a map of
 * keys, as a file would hold them, through the same loader, so the same defaults and checks apply.
 */
public final class EmbeddedConfigs {

    private EmbeddedConfigs() {
    }

    /** The configuration of one embedded service from {@code keys} (key → value as written in a file). */
    public static MeshConfig of(ConfigSchema schema, Map<String, String> keys) {
        return ConfigLoader.of(schema).flags(keys, "embedded mesh").load();
    }
}
