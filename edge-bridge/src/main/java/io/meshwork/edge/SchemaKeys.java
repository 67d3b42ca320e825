package io.meshwork.edge;

import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The edge keys of payload schemas ({@link SchemaSettings}), declared apart from {@link EdgeKeys}
 * to keep that class short.
 */
public final class SchemaKeys {

    public static final String REGISTRY_URL = "edge.schemas.registry.url";
    public static final String GROUP = "edge.schemas.group";
    public static final String CACHE_TTL = "edge.schemas.cache.ttl";
    public static final String UNREACHABLE = "edge.schemas.unreachable";

    static final String DEFAULT_GROUP = "meshwork";
    static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private SchemaKeys() {
    }

    static void define(ConfigDef keys) {
        keys.define(REGISTRY_URL, Type.STRING, "", httpUrlOrEmpty(), Importance.MEDIUM,
                        "Base URL of an Apicurio Registry 3.x (REST API v3) whose schemas the edge checks published payloads "
                                + "against, e.g. http://127.0.0.1:8081; an artifact of group " + GROUP + " is bound to the topics "
                                + "its label mesh.topic (an MQTT-style pattern) matches. A payload that breaks its schema is "
                                + "refused (HTTP 400, gRPC INVALID_ARGUMENT, MQTT 5 PUBACK 0x99, AMQP amqp:invalid-field) naming "
                                + "the JSON pointer at fault; an accepted one carries the schema's registry URL as dataschema. "
                                + "Empty: payloads are not checked.")
                .define(GROUP, Type.STRING, DEFAULT_GROUP, new ConfigDef.NonEmptyStringWithoutControlChars(), Importance.LOW,
                        "Registry group whose artifacts bind schemas to mesh topic patterns.")
                .define(CACHE_TTL, Type.STRING, "30s",
                        ConfigSchema.duration(d -> d.toMillis() >= 200 && d.toHours() < 24, "200ms..23h"), Importance.LOW,
                        "How long the edge trusts the bindings and schemas it last read from the registry; it re-reads them "
                                + "every half of it, off the publish path. A new or changed binding applies within half of it.")
                .define(UNREACHABLE, Type.STRING, "accept", ConfigDef.CaseInsensitiveValidString.in("accept", "refuse"),
                        Importance.MEDIUM, "What a publish gets while the edge holds no copy of the bindings younger than "
                                + CACHE_TTL + " (registry unreachable): accept takes it unchecked and marks it with the CloudEvents "
                                + "extension attribute schemaunchecked=registry-unreachable; refuse answers SCHEMA_UNAVAILABLE "
                                + "(HTTP 503, gRPC UNAVAILABLE, MQTT 5 PUBACK 0x80, AMQP amqp:internal-error), safe to retry.");
    }

    static SchemaSettings build(MeshConfig config) {
        String url = config.string(REGISTRY_URL);
        return config.build(() -> new SchemaSettings(url == null || url.isBlank() ? null : URI.create(url.strip()),
                config.string(GROUP), config.duration(CACHE_TTL), SchemaSettings.Unreachable.of(config.string(UNREACHABLE))));
    }

    private static ConfigDef.Validator httpUrlOrEmpty() {
        return (name, value) -> {
            String text = value == null ? "" : value.toString().strip();
            if (text.isEmpty()) {
                return;
            }
            try {
                URI uri = new URI(text);
                if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new ConfigException(name, value, "not an absolute http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getReason());
            }
        };
    }
}
