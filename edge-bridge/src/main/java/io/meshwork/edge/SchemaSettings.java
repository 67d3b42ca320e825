package io.meshwork.edge;

import io.meshwork.core.config.InvalidSettingException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether and how the edge checks published payloads against schemas bound to their topics in an
 * Apicurio Registry ({@code edge.schemas.*}, see {@link SchemaKeys}).
 *
 * @param registryUrl  base URL of the registry (its REST API v3 lives under {@code /apis/registry/v3});
 *                     {@code null}: payloads are not checked ({@code edge.schemas.registry.url})
 * @param group        the registry group whose artifacts bind schemas to topic patterns
 *                     ({@code edge.schemas.group})
 * @param cacheTtl     how long the edge trusts what it last read from the registry; it re-reads every
 *                     half of it ({@code edge.schemas.cache.ttl})
 * @param unreachable  what a publish gets while the edge holds no fresh copy of the bindings
 *                     ({@code edge.schemas.unreachable})
 */
public record SchemaSettings(URI registryUrl, String group, Duration cacheTtl, Unreachable unreachable) {

    /** Payloads are not checked. */
    public static final SchemaSettings OFF = new SchemaSettings(null, SchemaKeys.DEFAULT_GROUP, SchemaKeys.DEFAULT_TTL, Unreachable.ACCEPT);

    /** What a publish gets while the registry cannot be read. */
    public enum Unreachable {
        /** Accepted, and marked with the {@code schemaunchecked} CloudEvents extension attribute. */
        ACCEPT,
        /** Refused with {@code SCHEMA_UNAVAILABLE} (HTTP 503, gRPC UNAVAILABLE): retrying later is safe. */
        REFUSE;

        /** The policy named {@code value} ({@code accept} or {@code refuse}). */
        public static Unreachable of(String value) {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        }
    }

    public SchemaSettings {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(unreachable, "unreachable");
        if (registryUrl != null && !("http".equals(registryUrl.getScheme()) || "https".equals(registryUrl.getScheme()))) {
            throw new InvalidSettingException(SchemaKeys.REGISTRY_URL, "must be an http or https URL, not " + registryUrl);
        }
        if (group.isBlank()) {
            throw new InvalidSettingException(SchemaKeys.GROUP, "must not be empty");
        }
        if (cacheTtl.toMillis() < 200 || cacheTtl.toHours() >= 24) {
            throw new InvalidSettingException(SchemaKeys.CACHE_TTL, "must be within 200ms..23h, not " + cacheTtl);
        }
    }

    /** Settings that check payloads against the schemas of {@code registryUrl}, with the defaults otherwise. */
    public static SchemaSettings registry(URI registryUrl) {
        return new SchemaSettings(Objects.requireNonNull(registryUrl, "registryUrl"), SchemaKeys.DEFAULT_GROUP,
                SchemaKeys.DEFAULT_TTL, Unreachable.ACCEPT);
    }

    /** Whether payloads are checked. */
    public boolean enabled() {
        return registryUrl != null;
    }

    /** The same settings with {@code ttl} as cache TTL. */
    public SchemaSettings withCacheTtl(Duration ttl) {
        return new SchemaSettings(registryUrl, group, ttl, unreachable);
    }

    /** The same settings with {@code policy} while the registry cannot be read. */
    public SchemaSettings withUnreachable(Unreachable policy) {
        return new SchemaSettings(registryUrl, group, cacheTtl, policy);
    }
}
