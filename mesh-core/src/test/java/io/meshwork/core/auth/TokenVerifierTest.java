package io.meshwork.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.meshwork.core.auth.TokenRejected.Reason;
import io.meshwork.core.config.InvalidSettingException;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

    @TempDir
    static Path keys;
    @TempDir
    static Path otherKeys;

    private static SigningKeys signer;
    private static SigningKeys stranger;
    private static TokenVerifier verifier;

    @BeforeAll
    static void keys() {
        signer = SigningKeys.loadOrCreate(keys);
        stranger = SigningKeys.loadOrCreate(otherKeys);
        verifier = new TokenVerifier(signer.authSettings("edge.auth"));
    }

    private static JWTClaimsSet.Builder valid() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(SigningKeys.ISSUER).audience(SigningKeys.AUDIENCE).subject("alice")
                .notBeforeTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static Reason rejection(String token) {
        try {
            verifier.verify(token);
            throw new AssertionError("accepted");
        } catch (TokenRejected e) {
            assertThat(e.getMessage()).doesNotContain(token == null || token.isBlank() ? "\u0000" : token);
            return e.reason();
        }
    }

    @Test
    void aMintedTokenGivesItsPrincipalAndPermissions() throws TokenRejected {
        MeshPrincipal alice = verifier.verify(signer.mint(new SigningKeys.Grant("alice", List.of("orders/#"),
                List.of("orders/eu/+"), List.of("admin")), Duration.ofMinutes(5)));
        assertThat(alice.name()).isEqualTo("alice");
        assertThat(alice.hasRole(MeshPrincipal.ADMIN_ROLE)).isTrue();
        assertThat(alice.mayPublish(TopicName.of("orders/1"))).isTrue();
        assertThat(alice.maySubscribe(TopicPattern.parse("orders/eu/1"))).isTrue();
        assertThat(alice.maySubscribe(TopicPattern.parse("orders/#"))).isFalse();
    }

    @Test
    void theKeysAreKeptAcrossLoads() throws TokenRejected {
        String token = SigningKeys.loadOrCreate(keys).mint(new SigningKeys.Grant("bob", List.of(), List.of(), List.of()),
                Duration.ofMinutes(1));
        assertThat(verifier.verify(token).name()).isEqualTo("bob");
    }

    @Test
    void everyBadTokenIsRejectedWithItsReason() throws Exception {
        Instant now = Instant.now();
        assertThat(rejection(null)).isEqualTo(Reason.MISSING);
        assertThat(rejection("not-a-jwt")).isEqualTo(Reason.MALFORMED);
        assertThat(rejection(new PlainJWT(valid().build()).serialize())).isEqualTo(Reason.UNSIGNED);
        assertThat(rejection(stranger.sign(valid().build()))).isEqualTo(Reason.BAD_SIGNATURE);
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), valid().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(rejection(hmac.serialize())).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
        assertThat(rejection(signer.sign(valid().expirationTime(Date.from(now.minusSeconds(120))).build())))
                .isEqualTo(Reason.EXPIRED);
        assertThat(rejection(signer.sign(valid().notBeforeTime(Date.from(now.plusSeconds(120))).build())))
                .isEqualTo(Reason.NOT_YET_VALID);
        assertThat(rejection(signer.sign(valid().issuer("someone-else").build()))).isEqualTo(Reason.WRONG_ISSUER);
        assertThat(rejection(signer.sign(valid().audience("other").build()))).isEqualTo(Reason.WRONG_AUDIENCE);
        assertThat(rejection(signer.sign(valid().subject(null).build()))).isEqualTo(Reason.INVALID_CLAIMS);
        assertThat(rejection(signer.sign(valid().claim(TokenClaims.PUBLISH, List.of("a/#/b")).build())))
                .isEqualTo(Reason.INVALID_CLAIMS);
        assertThat(rejection(signer.sign(valid().claim(TokenClaims.SUBSCRIBE, "orders/#").build())))
                .isEqualTo(Reason.INVALID_CLAIMS);
    }

    @Test
    void keysAreFetchedFromAJwksUrl() throws Exception {
        byte[] jwks = java.nio.file.Files.readAllBytes(signer.jwksFile());
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.start();
        try {
            TokenVerifier remote = new TokenVerifier(new AuthSettings(true, null,
                    java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json"),
                    SigningKeys.ISSUER, SigningKeys.AUDIENCE, Duration.ofSeconds(5), "edge.auth"));
            assertThat(remote.verify(signer.mint(new SigningKeys.Grant("carol", List.of(), List.of(), List.of()),
                    Duration.ofMinutes(1))).name()).isEqualTo("carol");
            assertThatThrownBy(() -> remote.verify(stranger.sign(valid().build())))
                    .isInstanceOfSatisfying(TokenRejected.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theBearerSchemeIsReadCaseInsensitively() {
        assertThat(TokenVerifier.bearerToken("Bearer abc")).isEqualTo("abc");
        assertThat(TokenVerifier.bearerToken("bearer  abc ")).isEqualTo("abc");
        assertThat(TokenVerifier.bearerToken("Basic dXNlcg==")).isEmpty();
        assertThat(TokenVerifier.bearerToken(null)).isNull();
    }

    @Test
    void enabledAuthWithoutAKeySourceFailsNamingTheKey() {
        assertThatThrownBy(() -> new AuthSettings(true, null, null, "i", "a", Duration.ZERO, "edge.auth"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("edge.auth.jwks.file");
        assertThatThrownBy(() -> new AuthSettings(true, keys.resolve("jwks.json"), null, null, "a", Duration.ZERO, "edge.auth"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("edge.auth.issuer");
        assertThatThrownBy(() -> new TokenVerifier(AuthSettings.withKeyFile(keys.resolve("missing.json"), "i", "a", "edge.auth")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("edge.auth.jwks.file");
    }
}
