package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.LocalCertificates;
import io.meshwork.topology.TopologyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ops API over https (control-plane.tls.*), with java.net.http trusting the generated CA. */
class ControlPlaneTlsTest {

    @TempDir
    Path dir;

    @Test
    void opsApiServesHttpsAndRefusesPlaintextOnItsPort() throws Exception {
        LocalCertificates certificates = LocalCertificates.ensure(dir.resolve("certs"));
        try (var plane = ControlPlane.start(new ControlPlaneConfig("127.0.0.1", 0).withDatabase(TestDatabases.fresh()),
                TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE), null, List.of(),
                certificates.serverSettings(ClientAuth.NONE))) {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificates)).build();

            HttpResponse<String> health = https.send(get("https", plane.port()), HttpResponse.BodyHandlers.ofString());

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(get("http", plane.port()), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(https.send(get("https", plane.port()), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    private static HttpRequest get(String scheme, int port) {
        return HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + "/v1/health")).timeout(Duration.ofSeconds(10)).build();
    }

    private static SSLContext trusting(LocalCertificates certificates) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.caTrustStore())) {
            trusted.load(in, certificates.password().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
