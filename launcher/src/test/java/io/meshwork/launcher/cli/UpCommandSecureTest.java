package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.controlplane.ControlPlaneKeys;
import io.meshwork.core.tls.ClientAuth;
import io.meshwork.core.tls.TlsSettings;
import io.meshwork.edge.EdgeKeys;
import io.meshwork.launcher.internal.EmbeddedConfigs;
import io.meshwork.launcher.internal.SecureMode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mesh up --secure}: what it gives the edges and the control plane, and what it refuses. */
class UpCommandSecureTest {

    @TempDir
    Path dir;

    @Test
    void secureModeTurnsTlsOnForTheEdgesAndTheControlPlaneWithACaKeptAcrossRuns() {
        SecureMode first = SecureMode.prepare(dir.resolve("secure"));
        SecureMode again = SecureMode.prepare(dir.resolve("secure"));

        TlsSettings edge = EdgeKeys.tls(EmbeddedConfigs.of(EdgeKeys.schema(), with(first.edgeOverrides(), "mesh.region", "us-east-1",
                "kafka.bootstrap.servers", "127.0.0.1:9092")));
        TlsSettings controlPlane = ControlPlaneKeys.tls(EmbeddedConfigs.of(ControlPlaneKeys.schema(), first.controlPlaneOverrides()));

        assertThat(edge.enabled()).isTrue();
        assertThat(edge.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(controlPlane.enabled()).isTrue();
        assertThat(first.caCertificate()).isAbsolute().exists().hasFileName("ca.pem");
        assertThat(again.certificates().caCertificate()).isEqualTo(first.certificates().caCertificate());
    }

    @Test
    void secureWithExtraEdgesIsRefusedRatherThanServedInPlaintext() {
        CliRun run = CliRun.mesh("up", "--secure", "--secure-dir", dir.resolve("secure").toString(), "--edges", "2");
        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("--secure").contains("--edges 2");
        assertThat(run.out()).doesNotContain("CA certificate:");
    }

    private static Map<String, String> with(Map<String, String> keys, String... more) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(keys);
        for (int i = 0; i < more.length; i += 2) {
            all.put(more[i], more[i + 1]);
        }
        return all;
    }
}
