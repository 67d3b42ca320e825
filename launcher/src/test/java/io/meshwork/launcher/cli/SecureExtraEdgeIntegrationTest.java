package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.embedded.kafka.EmbeddedKafkaCluster;
import io.meshwork.embedded.kafka.KafkaClusterSpec;
import io.meshwork.launcher.internal.EdgeProcess;
import io.meshwork.launcher.internal.SecureMode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mesh up --secure --edges N}: the extra edges, child processes, get the secure mode's TLS
 * and token keys through their environment (never on the command line, where any user of the host
 * could read the key store password), so they serve https and require tokens like the in-process ones.
 */
@Tag("integration")
@Timeout(240)
class SecureExtraEdgeIntegrationTest {

    private static final String REGION = "us-east-1";

    @TempDir
    Path dir;

    @Test
    void aChildEdgeOfASecureMeshServesHttpsRequiresTokensAndKeepsItsPasswordOffTheCommandLine() throws Exception {
        SecureMode mode = SecureMode.prepare(dir.resolve("secure"), dir.resolve("keys"));
        EdgeProcess.Ports ports = new EdgeProcess.Ports(freePort(), freePort(), freePort());
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(KafkaClusterSpec.named(REGION));
             EdgeProcess edge = EdgeProcess.start("edge " + REGION + "#1", REGION, kafka.bootstrapServers(), "127.0.0.1", ports,
                     null, Map.of(), mode.edgeOverrides(), line -> { })) {
            edge.awaitReady(Duration.ofSeconds(180));

            HttpClient https = HttpClient.newBuilder().sslContext(trusting(mode)).connectTimeout(Duration.ofSeconds(10)).build();
            assertThat(https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + ports.http() + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + ports.http() + "/v1/events/publish?topic=secure/extra"))
                    .header("Content-Type", "application/json").header("CE-SpecVersion", "1.0").header("CE-Type", "t")
                    .header("CE-Source", "/s").header("CE-ID", "e-1").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.http() + "/v1/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);

            // Read whole: ProcessHandle.Info truncates long command lines (the class path alone is kilobytes).
            String commandLine = new String(Files.readAllBytes(Path.of("/proc", Long.toString(edge.pid()), "cmdline")),
                    java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
            assertThat(commandLine).contains("MeshCli edge").doesNotContain(mode.certificates().password());
        }
    }

    private static SSLContext trusting(SecureMode mode) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(mode.certificates().caTrustStore())) {
            trusted.load(in, mode.certificates().password().toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
