package io.meshwork.core.kafka;

import io.meshwork.core.config.InvalidSettingException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every Kafka client of a service is built: the user's client settings of one
 * cluster (the {@code kafka.*} keys of the service's configuration, prefix stripped: TLS, SASL,
 * {@code client.rack}, ...) with the settings a role needs for correctness (serializers, group
 * ids, {@code isolation.level}, idempotence, ...) put on top.
 *
 * <p>A user setting that a role overrides is logged once, naming the key but never its value
 * (it may be a secret such as {@code sasl.jaas.config}).
 */
public final class KafkaClients {

    /** Prefix of the client settings in a service's configuration. */
    public static final String PREFIX = "kafka.";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

    private final Map<String, String> settings;
    /** Keys already reported as overridden: once per key, not per client. */
    private final Set<String> reportedOverrides = ConcurrentHashMap.newKeySet();

    private KafkaClients(Map<String, String> settings) {
        Objects.requireNonNull(settings, "settings");
        String bootstrap = settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new InvalidSettingException(PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                    "missing required value: the cluster's host:port list");
        }
        settings.forEach((key, value) -> {
            if (key == null || key.isBlank() || value == null) {
                throw new InvalidSettingException(PREFIX + key, "missing value");
            }
        });
        this.settings = Map.copyOf(settings);
    }

    /**
     * Client settings of one cluster.
     *
     * @param settings Kafka client settings without the {@code kafka.} prefix; {@code bootstrap.servers} required
     * @throws InvalidSettingException naming the key ({@code kafka.bootstrap.servers}) when {@code bootstrap.servers} is missing or a value is null
     */
    public static KafkaClients of(Map<String, String> settings) {
        return new KafkaClients(settings);
    }

    /** A cluster reached with nothing but its bootstrap servers (plaintext, no authentication). */
    public static KafkaClients of(String bootstrapServers) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return new KafkaClients(settings);
    }

    /** These settings with {@code key} set to {@code value} (a Kafka client key, no prefix). */
    public KafkaClients with(String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(settings);
        changed.put(key, value);
        return new KafkaClients(changed);
    }

    /** The cluster's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The user's client settings, without prefix, sorted by key. */
    public Map<String, String> settings() {
        return new TreeMap<>(settings);
    }

    /**
     * The settings of a client in {@code role}: the user's, then the role's on top.
     *
     * @param role a name for the log line when the role overrides a user setting, e.g. "edge us-east-1 publisher"
     * @param roleSettings what the role needs for correctness; wins over the user's
     */
    public Map<String, Object> config(String role, Map<String, ?> roleSettings) {
        Map<String, Object> config = new LinkedHashMap<>(settings);
        roleSettings.forEach((key, value) -> {
            String user = settings.get(key);
            if (user != null && !user.equals(String.valueOf(value)) && reportedOverrides.add(key)) {
                LOG.warn("{}: ignoring Kafka setting {}{}: the mesh sets it itself", role, PREFIX, key);
            }
            config.put(key, value);
        });
        return config;
    }

    /**
     * The settings with every key behind {@code prefix}, as MirrorMaker 2 and Kafka Connect take
     * per-cluster client settings (e.g. {@code "us-east-1."}).
     */
    public Map<String, String> prefixed(String prefix) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((key, value) -> out.put(prefix + key, value));
        return out;
    }

    /** A producer in {@code role}; see {@link #config(String, Map)}. */
    public <K, V> KafkaProducer<K, V> producer(String role, Map<String, ?> roleSettings, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(config(role, roleSettings), keys, values);
    }

    /** A consumer in {@code role}; see {@link #config(String, Map)}. */
    public <K, V> KafkaConsumer<K, V> consumer(String role, Map<String, ?> roleSettings, Deserializer<K> keys,
                                               Deserializer<V> values) {
        return new KafkaConsumer<>(config(role, roleSettings), keys, values);
    }

    /** An admin client in {@code role}; see {@link #config(String, Map)}. */
    public Admin admin(String role, Map<String, ?> roleSettings) {
        return Admin.create(config(role, roleSettings));
    }

    /** An admin client with the user's settings alone. */
    public Admin admin(String role) {
        return admin(role, Map.of());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KafkaClients that && settings.equals(that.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    /** The bootstrap servers and the keys set, never the values (they may be secrets). */
    @Override
    public String toString() {
        return "KafkaClients[" + bootstrapServers() + ", keys=" + new TreeMap<>(settings).keySet() + "]";
    }
}
