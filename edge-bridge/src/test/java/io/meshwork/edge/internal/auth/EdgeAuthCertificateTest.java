package io.meshwork.edge.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.auth.AclEntry;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A verified client certificate as the principal of a client that presented no token. */
class EdgeAuthCertificateTest {

    @TempDir
    static Path dir;

    private static SigningKeys keys;
    private static EdgeAuth auth;
    private static X509Certificate billing;

    @BeforeAll
    static void setUp() throws Exception {
        keys = SigningKeys.loadOrCreate(dir.resolve("keys"));
        auth = EdgeAuth.of(keys.authSettings("edge.auth"), "us-east-1");
        LocalCertificates certificates = LocalCertificates.ensure(dir.resolve("certs"));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.issueClient("billing-service", dir.resolve("billing.p12")))) {
            store.load(in, certificates.password().toCharArray());
        }
        billing = (X509Certificate) store.getCertificate("client");
    }

    @Test
    void aCertificateAloneIsItsSansPrincipalAllowedOnlyWhatItsAclEntriesAllow() {
        Access access = auth.authenticate(IngressProtocol.HTTP, null, billing, "test");

        assertThat(access.principal()).hasValue("billing-service");
        assertThatThrownBy(() -> access.checkPublish(TopicName.of("billing/invoices")))
                .isInstanceOfSatisfying(Refusal.class, refusal -> assertThat(refusal.error()).isEqualTo(ClientError.NOT_AUTHORIZED));

        auth.acls().put(new AclEntry(UUID.randomUUID(), "billing-service", AclEntry.Action.PUBLISH, AclEntry.Effect.ALLOW,
                TopicPattern.parse("billing/#"), Instant.now()));

        access.checkPublish(TopicName.of("billing/invoices"));
        assertThatThrownBy(() -> access.checkSubscribe(TopicPattern.parse("billing/#"))).isInstanceOf(Refusal.class);
    }

    @Test
    void aPresentedTokenWinsOverTheCertificate() {
        String alice = keys.mint(new SigningKeys.Grant("alice", List.of("alice/#"), List.of(), List.of()), Duration.ofMinutes(5));

        assertThat(auth.authenticate(IngressProtocol.GRPC, alice, billing, "test").principal()).hasValue("alice");
        assertThatThrownBy(() -> auth.authenticate(IngressProtocol.GRPC, "not.a-jwt", billing, "test"))
                .isInstanceOfSatisfying(Refusal.class, refusal -> assertThat(refusal.error()).isEqualTo(ClientError.UNAUTHENTICATED));
    }

    @Test
    void neitherTokenNorCertificateIsRefusedAndAuthOffIsOpen() {
        assertThatThrownBy(() -> auth.authenticate(IngressProtocol.WEBSOCKET, null, null, "test"))
                .isInstanceOfSatisfying(Refusal.class, refusal -> assertThat(refusal.error()).isEqualTo(ClientError.UNAUTHENTICATED));

        Access open = EdgeAuth.of(AuthSettings.OFF, "us-east-1").authenticate(IngressProtocol.HTTP, null, billing, "test");
        assertThat(open).isSameAs(Access.open());
    }

    @Test
    void aCertifiedConnectionEndsAtTheCertificatesNotAfterWithoutClockSkew() throws Exception {
        Instant notAfter = Instant.now().plusMillis(300);
        CompletableFuture<Refusal> ended = new CompletableFuture<>();

        auth.certified(IngressProtocol.MQTT, "billing-service", notAfter).untilExpiry("test", ended::complete);

        Refusal refusal = ended.get(5, TimeUnit.SECONDS); // the token's 30 s skew would time this out
        assertThat(refusal.error()).isEqualTo(ClientError.TOKEN_EXPIRED);
        assertThat(refusal.getMessage()).contains("client certificate has expired");
        assertThat(Instant.now()).isAfterOrEqualTo(notAfter);
    }
}
