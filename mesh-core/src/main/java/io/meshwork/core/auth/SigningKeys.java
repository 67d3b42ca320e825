package io.meshwork.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshwork.core.topic.TopicPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A local token issuer: an EC P-256 key pair kept in a directory, which signs ES256 tokens for
 * {@value #ISSUER} / {@value #AUDIENCE}, and the public JWK set file ({@value #JWKS_FILE}) that
 * services read as {@code *.auth.jwks.file}. The embedded mesh's keys live in
 * {@link #defaultDirectory()}; {@code ./mesh token} mints with them.
 */
public final class SigningKeys {

    /** The issuer of locally minted tokens. */
    public static final String ISSUER = "meshwork-local";
    /** The audience of locally minted tokens. */
    public static final String AUDIENCE = "meshwork";
    /** The public keys, a JWK set. */
    public static final String JWKS_FILE = "jwks.json";
    /** The private signing key, a JWK, readable by its owner only. */
    public static final String PRIVATE_KEY_FILE = "signing-key.jwk";

    private final ECKey key;
    private final Path directory;

    private SigningKeys(ECKey key, Path directory) {
        this.key = key;
        this.directory = directory;
    }

    /** {@code ~/.meshwork/secure}: the embedded mesh's keys (and the {@code tls} helper's CA beside them). */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".meshwork", "secure");
    }

    /**
     * The key pair in {@code directory}, generated there (with its JWK set file) on first use.
     *
     * @throws UncheckedIOException when the directory or its key files cannot be read or written
     */
    public static synchronized SigningKeys loadOrCreate(Path directory) {
        Path privateKey = directory.resolve(PRIVATE_KEY_FILE);
        try {
            if (Files.exists(privateKey)) {
                ECKey key = ECKey.parse(Files.readString(privateKey, StandardCharsets.UTF_8));
                writeJwks(directory, key); // keeps the public file in step with the private one
                return new SigningKeys(key, directory);
            }
            Files.createDirectories(directory);
            ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyID(UUID.randomUUID().toString()).generate();
            Path temp = Files.createTempFile(directory, PRIVATE_KEY_FILE, ".tmp");
            ownerOnly(temp);
            Files.writeString(temp, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(temp, privateKey, StandardCopyOption.ATOMIC_MOVE);
            writeJwks(directory, key);
            return new SigningKeys(key, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep signing keys in " + directory + ": " + e.getMessage(), e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("the signing key in " + privateKey + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static void writeJwks(Path directory, ECKey key) throws IOException {
        Path jwks = directory.resolve(JWKS_FILE);
        String json = new JWKSet(key.toPublicJWK()).toString();
        if (!Files.exists(jwks) || !Files.readString(jwks, StandardCharsets.UTF_8).equals(json)) {
            Path temp = Files.createTempFile(directory, JWKS_FILE, ".tmp");
            Files.writeString(temp, json, StandardCharsets.UTF_8);
            Files.move(temp, jwks, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void ownerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the directory's own protection applies.
        }
    }

    /** The public JWK set file services verify these keys' tokens with. */
    public Path jwksFile() {
        return directory.resolve(JWKS_FILE);
    }

    /** Settings that verify these keys' tokens, under the configuration prefix {@code keyPrefix}. */
    public AuthSettings authSettings(String keyPrefix) {
        return AuthSettings.withKeyFile(jwksFile(), ISSUER, AUDIENCE, keyPrefix);
    }

    /** A token for {@code grant}, valid from now for {@code ttl}. */
    public String mint(Grant grant, Duration ttl) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(grant.principal())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim(TokenClaims.PUBLISH, grant.publish())
                .claim(TokenClaims.SUBSCRIBE, grant.subscribe())
                .claim(TokenClaims.ROLES, grant.roles())
                .build());
    }

    /** Signs any claims with this key (ES256), e.g. deliberately wrong ones in tests. */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
        }
    }

    /**
     * What a minted token grants.
     *
     * @param publish   topic filters the principal may publish to
     * @param subscribe topic filters the principal may subscribe within
     */
    public record Grant(String principal, List<String> publish, List<String> subscribe, List<String> roles) {

        public Grant {
            if (principal == null || principal.isBlank()) {
                throw new IllegalArgumentException("a token needs a non-blank principal");
            }
            publish = List.copyOf(Objects.requireNonNull(publish, "publish"));
            subscribe = List.copyOf(Objects.requireNonNull(subscribe, "subscribe"));
            roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
            publish.forEach(TopicPattern::parse);
            subscribe.forEach(TopicPattern::parse);
        }
    }
}
