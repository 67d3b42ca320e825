package io.meshwork.core.auth;

import io.meshwork.core.config.InvalidSettingException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a service authenticates its clients' bearer tokens. With {@code enabled}, a key source
 * (exactly one of a JWK set file and a JWKS URL), the issuer and the audience are required; the
 * keys named in the exceptions are those of the service's configuration.
 *
 * @param enabled   whether clients must present a token; off, every request is served as before
 * @param jwksFile  a local JWK set (JSON) holding the public keys tokens are signed with
 * @param jwksUrl   an http(s) URL serving the JWK set, fetched and cached
 * @param issuer    the required {@code iss}
 * @param audience  a value {@code aud} must contain
 * @param clockSkew how far {@code exp} and {@code nbf} may be off this host's clock
 * @param keyPrefix the configuration prefix of the keys, e.g. {@code edge.auth}, for error messages
 */
public record AuthSettings(boolean enabled, Path jwksFile, URI jwksUrl, String issuer, String audience, Duration clockSkew,
                           String keyPrefix) {

    /** Authentication off. */
    public static final AuthSettings OFF = new AuthSettings(false, null, null, null, null, Duration.ofSeconds(30), "auth");

    public AuthSettings {
        if (clockSkew == null || clockSkew.isNegative() || clockSkew.toMinutes() > 10) {
            throw InvalidSettingException.invalid(keyPrefix + ".clock.skew", clockSkew, "must be within 0..10 min");
        }
        if (enabled) {
            if (jwksFile == null && jwksUrl == null) {
                throw new InvalidSettingException(keyPrefix + ".jwks.file",
                        "auth is enabled but no key source is set: set " + keyPrefix + ".jwks.file or " + keyPrefix + ".jwks.url");
            }
            if (jwksFile != null && jwksUrl != null) {
                throw new InvalidSettingException(keyPrefix + ".jwks.url",
                        "set only one of " + keyPrefix + ".jwks.file and " + keyPrefix + ".jwks.url");
            }
            if (issuer == null || issuer.isBlank()) {
                throw new InvalidSettingException(keyPrefix + ".issuer", "auth is enabled: the required token issuer must be set");
            }
            if (audience == null || audience.isBlank()) {
                throw new InvalidSettingException(keyPrefix + ".audience", "auth is enabled: the required token audience must be set");
            }
        }
    }

    /** Authentication on, with keys from a local JWK set file. */
    public static AuthSettings withKeyFile(Path jwksFile, String issuer, String audience, String keyPrefix) {
        return new AuthSettings(true, jwksFile, null, issuer, audience, OFF.clockSkew(), keyPrefix);
    }
}
