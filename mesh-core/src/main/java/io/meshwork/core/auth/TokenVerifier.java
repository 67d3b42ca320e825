package io.meshwork.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.meshwork.core.auth.TokenRejected.Reason;
import io.meshwork.core.config.InvalidSettingException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies a client's JWT (nimbus-jose-jwt) and turns it into a {@link MeshPrincipal}: a JWS
 * signature by a key of the configured JWK set (file or URL) with an accepted asymmetric
 * algorithm, the configured issuer and audience, {@code exp} and {@code nbf} within the clock
 * skew, a {@code sub}. Unsigned tokens ({@code alg: none}), encrypted ones, HMAC and unknown
 * algorithms are refused: the mesh only holds public keys. Thread-safe.
 */
public final class TokenVerifier {

    /** The JWS algorithms a token may be signed with; {@code ./mesh token} signs with ES256. */
    public static final Set<JWSAlgorithm> ACCEPTED = Set.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384,
            JWSAlgorithm.PS512, JWSAlgorithm.Ed25519, JWSAlgorithm.EdDSA);

    private static final String BEARER = "bearer ";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String issuer;
    private final String audience;

    /**
     * @throws InvalidSettingException naming the key source when the JWK set file cannot be read
     * @throws IllegalArgumentException when {@code settings} has auth off
     */
    public TokenVerifier(AuthSettings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("auth is not enabled");
        }
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ACCEPTED, keys(settings)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp"), Set.of());
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWKSource<SecurityContext> keys(AuthSettings settings) {
        if (settings.jwksFile() != null) {
            try {
                return new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().toFile()));
            } catch (IOException | ParseException e) {
                throw new InvalidSettingException(AuthKeys.jwksFile(settings.keyPrefix()),
                        "cannot read a JWK set from " + settings.jwksFile() + ": " + e.getMessage());
            }
        }
        try {
            return JWKSourceBuilder.create(settings.jwksUrl().toURL()).build(); // cached, rate-limited, retrying
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new InvalidSettingException(AuthKeys.jwksUrl(settings.keyPrefix()), "not a URL: " + e.getMessage());
        }
    }

    /**
     * The token of an {@code Authorization: Bearer <jwt>} value (RFC 6750; the scheme is
     * case-insensitive): {@code null} without a header, empty for another scheme, so that it is
     * refused as missing rather than parsed as a token.
     */
    public static String bearerToken(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return null;
        }
        String value = authorization.strip();
        return value.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? value.substring(BEARER.length()).strip() : "";
    }

    /**
     * The principal of a token.
     *
     * @param token the compact JWT, without any {@code Bearer } prefix; {@code null} or blank when none was given
     * @throws TokenRejected saying why the token is not accepted (never quoting it)
     */
    public MeshPrincipal verify(String token) throws TokenRejected {
        return TokenClaims.principal(verifiedClaims(token));
    }

    /**
     * The claims of a token that passes every check of {@link #verify}, for a protocol that keeps
     * them with its connection.
     *
     * @throws TokenRejected as {@link #verify} does
     */
    public JWTClaimsSet verifiedClaims(String token) throws TokenRejected {
        if (token == null || token.isBlank()) {
            throw new TokenRejected(Reason.MISSING, "no bearer token was presented");
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token.strip());
        } catch (ParseException e) {
            throw new TokenRejected(Reason.MALFORMED, "the bearer token is not a JWT in compact serialisation");
        }
        if (jwt instanceof PlainJWT) {
            throw new TokenRejected(Reason.UNSIGNED, "unsigned tokens (alg none) are not accepted");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new TokenRejected(Reason.UNSUPPORTED_ALGORITHM, "encrypted tokens are not accepted; sign the JWT (JWS)");
        }
        JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
        if (!ACCEPTED.contains(algorithm)) {
            throw new TokenRejected(Reason.UNSUPPORTED_ALGORITHM, "tokens signed with " + algorithm + " are not accepted");
        }
        try {
            JWTClaimsSet claims = processor.process(signed, null);
            TokenClaims.principal(claims); // the mesh claims must have their shape too
            return claims;
        } catch (BadJWTException e) {
            throw claimsRejected(e);
        } catch (BadJOSEException e) {
            throw new TokenRejected(Reason.BAD_SIGNATURE, "the token's signature does not verify with any known key");
        } catch (KeySourceException e) {
            throw new TokenRejected(Reason.KEYS_UNAVAILABLE, "the signing keys could not be fetched: " + e.getMessage());
        } catch (JOSEException e) {
            throw new TokenRejected(Reason.BAD_SIGNATURE, "the token's signature could not be checked: " + e.getMessage());
        }
    }

    // DefaultJWTClaimsVerifier tells its checks apart only by message.
    private TokenRejected claimsRejected(BadJWTException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Expired JWT")) {
            return new TokenRejected(Reason.EXPIRED, "the token has expired");
        }
        if (message.startsWith("JWT before use time")) {
            return new TokenRejected(Reason.NOT_YET_VALID, "the token is not valid yet (nbf)");
        }
        if (message.contains("iss claim")) {
            return new TokenRejected(Reason.WRONG_ISSUER, "the token's issuer is not " + issuer);
        }
        if (message.contains("aud claim")) {
            return new TokenRejected(Reason.WRONG_AUDIENCE, "the token's audience does not include " + audience);
        }
        return new TokenRejected(Reason.INVALID_CLAIMS, "the token's claims are not accepted: " + message);
    }
}
