package io.meshwork.core.kafka;

import io.meshwork.core.config.InvalidSettingException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Checks at start that a service can use a cluster with its client settings, so that a wrong
 * setting, an unreachable cluster or a principal that is not authorised stops the service with
 * one line naming the key, rather than a client retrying forever in the background.
 */
public final class ClusterCheck {

    private static final Pattern CONFIG_KEY = Pattern.compile("configuration '?([a-zA-Z0-9._-]+)'?");

    private ClusterCheck() {
    }

    /**
     * Builds an admin client with {@code clients} and describes the cluster within {@code timeout}.
     *
     * @param keyPrefix how the user writes these settings, e.g. {@code kafka.} or
     *                  {@code links.neighbours.eu-west-1.kafka.}: the keys in errors carry it
     * @throws InvalidSettingException naming {@code <prefix>bootstrap.servers} when the cluster does
     *                                 not answer, {@code <prefix>sasl.jaas.config} when it refuses the
     *                                 principal, or the key that Kafka rejects
     */
    public static void verify(KafkaClients clients, String keyPrefix, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, Object> bounded = Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        try (Admin admin = Admin.create(quietly(clients, bounded))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes().get(millis + 1_000L, TimeUnit.MILLISECONDS);
        } catch (ConfigException e) {
            throw rejected(keyPrefix, e);
        } catch (KafkaException e) {
            if (e.getCause() instanceof ConfigException config) {
                throw rejected(keyPrefix, config);
            }
            throw new InvalidSettingException(keyPrefix + AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "cannot build a Kafka client: " + e.getMessage());
        } catch (ExecutionException e) {
            throw failed(keyPrefix, clients, timeout, e.getCause());
        } catch (TimeoutException e) {
            throw unreachable(keyPrefix, clients, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + clients.bootstrapServers(), e);
        }
    }

    /**
     * Checks {@code clients}' settings against what Kafka's producer, consumer and admin client
     * accept, without connecting: for a cluster that may be unreachable at start (a neighbour
     * across a cut link) but whose settings must still be right.
     *
     * @throws InvalidSettingException naming the key Kafka rejects, with {@code keyPrefix}
     */
    public static void validate(KafkaClients clients, String keyPrefix) {
        try {
            new ProducerConfig(quietly(clients, Map.of(
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
            new ConsumerConfig(quietly(clients, Map.of(
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)));
            new AdminClientConfig(quietly(clients, Map.of()));
        } catch (ConfigException e) {
            throw rejected(keyPrefix, e);
        }
    }

    /**
     * The client setting behind a failure to build or run a client, if Kafka rejected one: a
     * {@link ConfigException} anywhere in {@code error}'s causes, e.g. a producer-only setting
     * that the admin client of {@link #verify} does not read.
     */
    public static Optional<InvalidSettingException> rejectedSetting(Throwable error, String keyPrefix) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConfigException config) {
                return Optional.of(rejected(keyPrefix, config));
            }
        }
        return Optional.empty();
    }

    /**
     * The user's settings with the check's own on top, without reporting them as overridden: the
     * check's timeouts and serializers are its own business, the services' clients still get the
     * user's values.
     */
    private static Map<String, Object> quietly(KafkaClients clients, Map<String, ?> check) {
        Map<String, Object> config = new java.util.HashMap<>(clients.settings());
        config.putAll(check);
        return config;
    }

    private static InvalidSettingException failed(String keyPrefix, KafkaClients clients, Duration timeout, Throwable cause) {
        if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
            return new InvalidSettingException(keyPrefix + "sasl.jaas.config", "not authorised by the cluster at "
                    + clients.bootstrapServers() + ": " + cause.getMessage());
        }
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return unreachable(keyPrefix, clients, timeout);
        }
        return new InvalidSettingException(keyPrefix + AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "cluster " + clients.bootstrapServers() + " failed: " + cause);
    }

    private static InvalidSettingException unreachable(String keyPrefix, KafkaClients clients, Duration timeout) {
        return new InvalidSettingException(keyPrefix + AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "cluster " + clients.bootstrapServers() + " did not answer within " + timeout.toMillis() + " ms");
    }

    private static InvalidSettingException rejected(String keyPrefix, ConfigException e) {
        Matcher key = CONFIG_KEY.matcher(String.valueOf(e.getMessage()));
        String name = key.find() ? key.group(1) : AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG;
        return new InvalidSettingException(keyPrefix + name, "rejected by the Kafka client: " + e.getMessage());
    }
}
