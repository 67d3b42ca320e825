package io.meshwork.core.config;

import java.util.Comparator;
import org.apache.kafka.common.config.ConfigDef;

/** Renders a {@link ConfigSchema} for {@code mesh config explain <service>}: every key with its type, default, valid values, variable and meaning. */
public final class ConfigExplainer {

    private ConfigExplainer() {
    }

    public static String explain(ConfigSchema schema) {
        StringBuilder out = new StringBuilder();
        out.append("Keys of mesh ").append(schema.service())
                .append(" (YAML file via --config, environment MESH_<KEY>, or --set key=value; later wins):\n\n");
        schema.definition().configKeys().values().stream()
                .sorted(Comparator.comparing((ConfigDef.ConfigKey key) -> key.name))
                .forEach(key -> {
                    out.append(key.name).append('\n');
                    out.append("  type: ").append(ConfigSchema.shownType(key))
                            .append("   default: ").append(ConfigSchema.shownDefault(key))
                            .append("   importance: ").append(key.importance.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
                    if (key.validator != null) {
                        out.append("  valid values: ").append(key.validator).append('\n');
                    }
                    out.append("  environment: ").append(ConfigSchema.environmentVariable(key.name)).append('\n');
                    out.append("  ").append(key.documentation).append("\n\n");
                });
        for (PassThrough family : schema.passThroughs()) {
            out.append(family.prefix()).append("*\n");
            out.append("  type: string (passed to Kafka unchanged, validated by Kafka when the client is built)\n");
            out.append("  environment: ").append(ConfigSchema.environmentVariable(family.prefix())).append("<KEY>\n");
            out.append("  ").append(family.doc()).append("\n\n");
        }
        return out.toString();
    }
}
