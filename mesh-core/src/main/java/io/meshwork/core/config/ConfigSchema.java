package io.meshwork.core.config;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Every key one service reads: the keys it defines with Kafka's {@link ConfigDef} (name, type,
 * default, validator, importance, doc), and the families of keys it passes to Kafka clients
 * unvalidated ({@link PassThrough}).
 *
 * @param service      the service's command name, e.g. {@code edge}, for messages
 * @param definition   the defined keys
 * @param passThroughs the pass-through families, e.g. {@code kafka.}
 */
public record ConfigSchema(String service, ConfigDef definition, List<PassThrough> passThroughs) {

    /** Prefix of the environment variables that set keys. */
    public static final String ENVIRONMENT_PREFIX = "MESH_";

    public ConfigSchema {
        if (service == null || service.isBlank()) {
            throw new IllegalArgumentException("a schema needs its service's name");
        }
        definition = new ConfigDef(definition);
        passThroughs = List.copyOf(passThroughs);
    }

    /** The defined key {@code key}, if any. */
    public Optional<ConfigDef.ConfigKey> key(String key) {
        return Optional.ofNullable(definition.configKeys().get(key));
    }

    /** The pass-through family {@code key} belongs to, with its parts. */
    public Optional<Map.Entry<PassThrough, PassThrough.Match>> passThrough(String key) {
        for (PassThrough family : passThroughs) {
            Optional<PassThrough.Match> match = family.match(key);
            if (match.isPresent()) {
                return Optional.of(Map.entry(family, match.get()));
            }
        }
        return Optional.empty();
    }

    /** Whether the service reads {@code key}. */
    public boolean knows(String key) {
        return key(key).isPresent() || passThrough(key).isPresent();
    }

    /** The defined key closest to a misspelt one, when it is close enough to be meant. */
    public Optional<String> suggestion(String unknown) {
        return definition.configKeys().keySet().stream()
                .map(known -> Map.entry(known, distance(unknown, known)))
                .filter(entry -> entry.getValue() <= Math.max(2, entry.getKey().length() / 4))
                .min(Comparator.comparingInt(Map.Entry<String, Integer>::getValue))
                .map(Map.Entry::getKey);
    }

    /** The key an environment variable such as {@code MESH_EDGE_HTTP_PORT} sets, if it sets one of this service's. */
    public Optional<String> keyOfEnvironment(String variable) {
        if (!variable.startsWith(ENVIRONMENT_PREFIX)) {
            return Optional.empty();
        }
        String rest = variable.substring(ENVIRONMENT_PREFIX.length());
        for (String key : definition.configKeys().keySet()) {
            if (environmentName(key).equals(rest)) {
                return Optional.of(key);
            }
        }
        return passThroughs.stream().flatMap(family -> family.fromEnvironment(rest).stream()).findFirst();
    }

    /** The environment variable that sets {@code key}: {@code MESH_} and the key upper-cased, {@code .} and {@code -} as {@code _}. */
    public static String environmentVariable(String key) {
        return ENVIRONMENT_PREFIX + environmentName(key);
    }

    static String environmentName(String keyPart) {
        return keyPart.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default of {@code key} as users would write it, or what stands in for it. */
    public static String shownDefault(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value == null) {
            return "(none)";
        }
        if (value instanceof Password) {
            return "(hidden)";
        }
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** The type of {@code key} as {@code config explain} shows it ({@code duration} for durations). */
    public static String shownType(ConfigDef.ConfigKey key) {
        if (key.validator instanceof DurationRule) {
            return "duration";
        }
        return key.type.name().toLowerCase(Locale.ROOT);
    }

    /**
     * A validator for a duration written as text ({@link Durations}), within {@code rule}.
     *
     * @param description the rule as users read it, e.g. {@code 1ms..60s}
     */
    public static ConfigDef.Validator duration(Predicate<Duration> rule, String description) {
        return new DurationRule(rule, description);
    }

    /** {@code rule} for a key without a default: {@code null} (unset) passes. */
    public static ConfigDef.Validator optional(ConfigDef.Validator rule) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value != null) {
                    rule.ensureValid(name, value);
                }
            }

            @Override
            public String toString() {
                return rule.toString();
            }
        };
    }

    private record DurationRule(Predicate<Duration> rule, String description) implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            Duration duration;
            try {
                duration = Durations.parse(value.toString());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
            if (!rule.test(duration)) {
                throw new ConfigException(name, value, "must be within " + description);
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
