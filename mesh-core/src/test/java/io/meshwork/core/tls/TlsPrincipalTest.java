package io.meshwork.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsPrincipalTest {

    @TempDir
    Path dir;

    @Test
    void aClientCertificateNamesItsPrincipalByItsFirstSubjectAlternativeName() throws Exception {
        LocalCertificates certificates = LocalCertificates.ensure(dir.resolve("certs"));
        Path client = certificates.issueClient("billing-service", dir.resolve("client.p12"));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(client)) {
            store.load(in, certificates.password().toCharArray());
        }

        assertThat(TlsPrincipal.from((X509Certificate) store.getCertificate("client"))).contains(new TlsPrincipal("billing-service"));
        // The CA has no SAN: its CN is the fallback.
        assertThat(TlsPrincipal.from(certificates.caCertificate())).contains(new TlsPrincipal("Meshwork local CA"));
    }

    @Test
    void certificatesAreGeneratedOnceAndReused() {
        LocalCertificates first = LocalCertificates.ensure(dir.resolve("certs"));
        LocalCertificates again = LocalCertificates.ensure(dir.resolve("certs"));

        assertThat(again.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(again.password()).isEqualTo(first.password());
        assertThat(first.caPem()).isAbsolute().exists();
    }
}
