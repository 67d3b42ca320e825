package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.auth.AuthSettings;
import io.meshwork.core.auth.SigningKeys;
import io.meshwork.core.auth.TokenRejected;
import io.meshwork.core.auth.TokenVerifier;
import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import io.meshwork.launcher.internal.SecureMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh up --secure}: what it gives the edges and the control plane. */
class UpCommandSecureTest {

    @TempDir
    Path dir;

    @Test
    void secureModeTurnsTlsOnForTheEdgesAndTheControlPlaneWithACaKeptAcrossRuns() {
        SecureMode first = SecureMode.prepare(dir.resolve("secure"), dir.resolve("keys"));
        SecureMode again = SecureMode.prepare(dir.resolve("secure"), dir.resolve("keys"));

        var edgeConfig = EmbeddedConfigs.of(EdgeKeys.schema(), with(first.edgeOverrides(), "mesh.region", "us-east-1",
                "kafka.bootstrap.servers", "127.0.0.1:9092"));
        var controlPlaneConfig = EmbeddedConfigs.of(ControlPlaneKeys.schema(), first.controlPlaneOverrides());
        TlsSettings edge = EdgeKeys.tls(edgeConfig);
        TlsSettings controlPlane = ControlPlaneKeys.tls(controlPlaneConfig);

        assertThat(edge.enabled()).isTrue();
        assertThat(edge.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(controlPlane.enabled()).isTrue();
        assertThat(first.caCertificate()).isAbsolute().exists().hasFileName("ca.pem");
        assertThat(again.certificates().caCertificate()).isEqualTo(first.certificates().caCertificate());
    }

    @Test
    void secureModeRequiresTokensSignedWithTheKeysMeshTokenUses() throws Exception {
        SecureMode mode = SecureMode.prepare(dir.resolve("secure"), dir.resolve("keys"));
        var edgeConfig = EmbeddedConfigs.of(EdgeKeys.schema(), with(mode.edgeOverrides(), "mesh.region", "us-east-1",
                "kafka.bootstrap.servers", "127.0.0.1:9092"));
        AuthSettings edgeAuth = EdgeKeys.auth(edgeConfig);
        AuthSettings adminAuth = ControlPlaneKeys.auth(EmbeddedConfigs.of(ControlPlaneKeys.schema(), mode.controlPlaneOverrides()));

        assertThat(edgeAuth.enabled()).isTrue();
        assertThat(adminAuth.enabled()).isTrue();
        String token = SigningKeys.loadOrCreate(dir.resolve("keys"))
                .mint(new SigningKeys.Grant("device-1", List.of("orders/#"), List.of(), List.of()), Duration.ofMinutes(5));
        assertThat(new TokenVerifier(edgeAuth).verify(token).name()).isEqualTo("device-1");
        String foreign = SigningKeys.loadOrCreate(dir.resolve("other-keys"))
                .mint(new SigningKeys.Grant("device-1", List.of("orders/#"), List.of(), List.of()), Duration.ofMinutes(5));
        assertThatThrownBy(() -> new TokenVerifier(edgeAuth).verify(foreign)).isInstanceOf(TokenRejected.class);
        assertThat(mode.edgeOverrides()).as("the secure mesh serves amqps (TLS + SASL PLAIN) on its own AMQP ports")
                .doesNotContainKey(EdgeKeys.AMQP_PORT);
    }

    private static Map<String, String> with(Map<String, String> keys, String... more) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(keys);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
