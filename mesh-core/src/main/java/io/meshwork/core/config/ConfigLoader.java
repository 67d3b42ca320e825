package io.meshwork.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Loads one service's configuration in layers, each over the one before: defaults (the schema's,
 * then any the caller derives, e.g. from the topology) &lt; the YAML file &lt; the environment
 * ({@code MESH_EDGE_HTTP_PORT}) &lt; flags ({@code --set key=value} and the commands' convenience
 * flags). A YAML map flattens with {@code .}: {@code edge: {http: {port: 1}}} is {@code edge.http.port}.
 *
 * <p>Every problem is a {@link ConfigError} naming the source, the key and what is wrong.
 */
public final class ConfigLoader {

    private static final YAMLMapper YAML = new YAMLMapper();

    private record Setting(String value, String source) {
    }

    private final ConfigSchema schema;
    private final Map<String, Setting> settings = new LinkedHashMap<>();
    private final Map<String, String> derivedDefaults = new LinkedHashMap<>();
    private String fileSource;

    private ConfigLoader(ConfigSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    public static ConfigLoader of(ConfigSchema schema) {
        return new ConfigLoader(schema);
    }

    /** Defaults that depend on something else (the topology's ports): above the schema's, below everything users write. */
    public ConfigLoader defaults(Map<String, String> values) {
        values.forEach((key, value) -> {
            if (!schema.knows(key)) {
                throw new IllegalArgumentException("service " + schema.service() + " defines no key " + key);
            }
            derivedDefaults.put(key, value);
        });
        return this;
    }

    /** The YAML file {@code file}, shown in messages as given. */
    public ConfigLoader file(Path file) {
        fileSource = file.toString();
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigError(fileSource, "--config", "no such file");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new ConfigError(fileSource, "--config", "not valid YAML" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigError(fileSource, "--config", "cannot read it: " + e.getMessage());
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            return this;
        }
        if (!root.isObject()) {
            throw new ConfigError(fileSource, "--config", "must be a YAML map of keys");
        }
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", root, flat);
        flat.forEach((key, value) -> put(key, value, fileSource));
        return this;
    }

    /** Every {@code MESH_*} variable that stands for a key of this service; others are left alone. */
    public ConfigLoader environment(Map<String, String> environment) {
        new java.util.TreeMap<>(environment).forEach((variable, value) ->
                schema.keyOfEnvironment(variable).ifPresent(key -> put(key, value, "environment " + variable)));
        return this;
    }

    /**
     * Values given on the command line.
     *
     * @param values key → value
     * @param source the flag, for messages, e.g. {@code --set} or {@code --kafka}
     */
    public ConfigLoader flags(Map<String, String> values, String source) {
        values.forEach((key, value) -> put(key, value, source));
        return this;
    }

    /** One flag value, e.g. {@code --region} standing for {@code mesh.region}; nothing when {@code value} is null. */
    public ConfigLoader flag(String key, Object value, String source) {
        if (value != null) {
            put(key, value.toString(), source);
        }
        return this;
    }

    /**
     * Parses and validates every defined key.
     *
     * @throws ConfigError for a wrong type, a bad value or a missing required value
     */
    public MeshConfig load() {
        String fallback = fileSource != null ? fileSource : "configuration";
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> passThrough = new LinkedHashMap<>();
        Map<String, String> sources = new LinkedHashMap<>();
        derivedDefaults.forEach((key, value) -> {
            if (schema.key(key).isEmpty()) {
                passThrough.put(key, value);
            }
        });
        settings.forEach((key, setting) -> {
            sources.put(key, setting.source());
            if (schema.key(key).isEmpty()) {
                passThrough.put(key, setting.value());
            }
        });
        for (ConfigDef.ConfigKey key : schema.definition().configKeys().values()) {
            Setting setting = settings.get(key.name);
            String raw = setting != null ? setting.value() : derivedDefaults.get(key.name);
            String source = setting != null ? setting.source() : fallback;
            values.put(key.name, parse(key, raw, source));
        }
        return new MeshConfig(schema, values, passThrough, sources, fallback);
    }

    private static Object parse(ConfigDef.ConfigKey key, String raw, String source) {
        if (raw == null) {
            if (!key.hasDefault()) {
                throw new ConfigError(source, key.name, "missing required value (" + key.documentation + ")");
            }
            return key.defaultValue;
        }
        Object value;
        try {
            value = ConfigDef.parseType(key.name, raw.trim(), key.type);
        } catch (ConfigException e) {
            throw new ConfigError(source, key.name, "invalid value '" + shown(key, raw) + "': " + typeProblem(key.type));
        }
        if (key.validator != null) {
            try {
                key.validator.ensureValid(key.name, value);
            } catch (ConfigException e) {
                throw new ConfigError(source, key.name, "invalid value '" + shown(key, raw) + "': " + reason(key.name, e));
            }
        }
        return value;
    }

    private static String shown(ConfigDef.ConfigKey key, String raw) {
        return key.type == ConfigDef.Type.PASSWORD ? Password.HIDDEN : raw;
    }

    private static String typeProblem(ConfigDef.Type type) {
        return switch (type) {
            case INT, SHORT, LONG, DOUBLE -> "not a number";
            case BOOLEAN -> "not true or false";
            default -> "not a " + type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The validator's own words, without Kafka's "Invalid value x for configuration y:" lead. */
    private static String reason(String name, ConfigException e) {
        String message = String.valueOf(e.getMessage());
        String lead = "for configuration " + name + ": ";
        int at = message.indexOf(lead);
        String reason = at < 0 ? message : message.substring(at + lead.length());
        return reason.isEmpty() ? reason : Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    private void put(String key, String value, String source) {
        if (!schema.knows(key)) {
            String hint = schema.suggestion(key).map(known -> " (did you mean " + known + "?)").orElse("");
            throw new ConfigError(source, key, "unknown key for mesh " + schema.service() + hint);
        }
        settings.put(key, new Setting(value, source));
    }

    private void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> flatten(prefix + field.getKey() + (field.getValue().isObject() ? "." : ""),
                    field.getValue(), out));
            return;
        }
        if (node.isNull()) {
            return;
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new ConfigError(fileSource, prefix, "a list may hold only plain values");
                }
                items.add(item.asText());
            }
            out.put(prefix, String.join(",", items));
            return;
        }
        out.put(prefix, node.asText());
    }
}
