package io.meshwork.core.auth;

import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration keys of {@link AuthSettings} under a service's prefix (the edge's
 * {@code edge.auth.*}, the control plane's {@code control-plane.auth.*}), declared once here for
 * every service that verifies tokens.
 */
public final class AuthKeys {

    private AuthKeys() {
    }

    public static String enabled(String prefix) {
        return prefix + ".enabled";
    }

    public static String jwksFile(String prefix) {
        return prefix + ".jwks.file";
    }

    public static String jwksUrl(String prefix) {
        return prefix + ".jwks.url";
    }

    public static String issuer(String prefix) {
        return prefix + ".issuer";
    }

    public static String audience(String prefix) {
        return prefix + ".audience";
    }

    public static String clockSkew(String prefix) {
        return prefix + ".clock.skew";
    }

    /** Declares the keys under {@code prefix} on {@code keys}. */
    public static ConfigDef define(ConfigDef keys, String prefix) {
        return keys.define(enabled(prefix), Type.BOOLEAN, false, Importance.HIGH,
                        "Require a JWT bearer token from every client (REST and WebSocket Authorization: Bearer or "
                                + "?access_token=, gRPC authorization metadata, MQTT password) and authorise each publish and "
                                + "subscribe by its mesh_pub/mesh_sub claims; deny by default. Needs a key source, "
                                + issuer(prefix) + " and " + audience(prefix) + ".")
                .define(jwksFile(prefix), Type.STRING, null, ConfigSchema.optional(new ConfigDef.NonEmptyStringWithoutControlChars()),
                        Importance.HIGH, "Local JWK set (JSON) with the public keys tokens are signed with "
                                + "(./mesh token's keys: ~/.meshwork/secure/jwks.json). Read at start.")
                .define(jwksUrl(prefix), Type.STRING, null, ConfigSchema.optional(httpUrl()), Importance.HIGH,
                        "http(s) URL of the identity provider's JWK set; fetched on first use, cached and refreshed "
                                + "when a token names an unknown key (rate limited).")
                .define(issuer(prefix), Type.STRING, null, Importance.HIGH, "Required iss claim of every token.")
                .define(audience(prefix), Type.STRING, null, Importance.HIGH, "Value the aud claim of every token must contain.")
                .define(clockSkew(prefix), Type.STRING, "30s",
                        ConfigSchema.duration(d -> !d.isNegative() && d.toMinutes() <= 10, "0s..10m"), Importance.LOW,
                        "How far exp and nbf may be off this host's clock.");
    }

    /** The settings under {@code prefix}; fails naming the key when auth is enabled without what it needs or its key file is unreadable. */
    public static AuthSettings build(MeshConfig config, String prefix) {
        String file = config.string(jwksFile(prefix));
        String url = config.string(jwksUrl(prefix));
        return config.build(() -> {
            AuthSettings settings = new AuthSettings(Boolean.TRUE.equals(config.bool(enabled(prefix))),
                    file == null ? null : Path.of(file), url == null ? null : URI.create(url.strip()),
                    config.string(issuer(prefix)), config.string(audience(prefix)), config.duration(clockSkew(prefix)), prefix);
            if (settings.enabled()) {
                new TokenVerifier(settings); // reads the key file now, so that a bad one is a configuration error
            }
            return settings;
        });
    }

    private static ConfigDef.Validator httpUrl() {
        return (name, value) -> {
            try {
                URI uri = new URI(value.toString().strip());
                if (!uri.isAbsolute() || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    throw new ConfigException(name, value, "not an absolute http or https URL");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "not a URL: " + e.getReason());
            }
        };
    }
}
