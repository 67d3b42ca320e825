package io.meshwork.core.config;

import io.meshwork.core.kafka.KafkaClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.config.types.Password;

/**
 * One service's configuration after loading: every defined key parsed to its type (default
 * applied), the pass-through keys as written, and where each value came from, so that any later
 * problem with a value (a record's validation, a cluster that refuses the settings) can still be
 * reported against the file, variable or flag that set it.
 */
public final class MeshConfig {

    private final ConfigSchema schema;
    private final Map<String, Object> values;
    private final Map<String, String> passThrough;
    private final Map<String, String> sources;
    private final String fallbackSource;

    MeshConfig(ConfigSchema schema, Map<String, Object> values, Map<String, String> passThrough, Map<String, String> sources,
               String fallbackSource) {
        this.schema = schema;
        this.values = new LinkedHashMap<>(values);
        this.passThrough = new TreeMap<>(passThrough);
        this.sources = Map.copyOf(sources);
        this.fallbackSource = fallbackSource;
    }

    public ConfigSchema schema() {
        return schema;
    }

    /** The parsed value of a defined key; {@code null} when it has none. */
    public Object value(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("service " + schema.service() + " defines no key " + key);
        }
        return values.get(key);
    }

    public String string(String key) {
        Object value = value(key);
        return value == null ? null : value.toString();
    }

    public Integer integer(String key) {
        return (Integer) value(key);
    }

    public Long longValue(String key) {
        return (Long) value(key);
    }

    public Double decimal(String key) {
        return (Double) value(key);
    }

    public Boolean bool(String key) {
        return (Boolean) value(key);
    }

    /** A secret: its value is never shown by {@link Password#toString()}. */
    public Password password(String key) {
        return (Password) value(key);
    }

    /** A duration key ({@link Durations}); {@code null} when it has none. */
    public Duration duration(String key) {
        String text = string(key);
        return text == null ? null : Durations.parse(text);
    }

    /** Whether a file, variable or flag set {@code key} (not its default). */
    public boolean isSet(String key) {
        return sources.containsKey(key);
    }

    /** Where {@code key}'s value came from: the file, {@code environment MESH_...} or the flag; the file when it came from nowhere. */
    public String source(String key) {
        return sources.getOrDefault(key, fallbackSource);
    }

    /**
     * The Kafka client settings behind {@code prefix} (e.g. {@code kafka.} or
     * {@code links.neighbours.eu-west-1.kafka.}), prefix stripped.
     *
     * @throws ConfigError naming {@code <prefix>bootstrap.servers} when it is missing
     */
    public KafkaClients kafka(String prefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        passThrough.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                settings.put(key.substring(prefix.length()), value);
            }
        });
        try {
            return KafkaClients.of(settings);
        } catch (InvalidSettingException e) {
            throw error(new InvalidSettingException(prefix + e.key().substring(KafkaClients.PREFIX.length()), e.problem()));
        }
    }

    /** The service's own cluster: the {@code kafka.*} keys. */
    public KafkaClients kafka() {
        return kafka(KafkaClients.PREFIX);
    }

    /**
     * The clusters named in a pass-through family with a placeholder, such as
     * {@code links.neighbours.<region>.kafka.}: name → its client settings.
     */
    public Map<String, KafkaClients> kafkaByName(PassThrough family) {
        Map<String, KafkaClients> clusters = new TreeMap<>();
        passThrough.keySet().forEach(key -> family.match(key).ifPresent(match ->
                clusters.computeIfAbsent(match.name(), name -> kafka(family.key(name, "")))));
        return clusters;
    }

    /** {@code problem} reported against the source of its key. */
    public ConfigError error(InvalidSettingException problem) {
        return new ConfigError(source(problem.key()), problem.key(), problem.problem());
    }

    /**
     * Runs {@code builder} (a record's constructor, a cluster check) and reports its
     * {@link InvalidSettingException} against the source of the key it names.
     */
    public <T> T build(Supplier<T> builder) {
        try {
            return builder.get();
        } catch (InvalidSettingException e) {
            throw error(e);
        }
    }
}
