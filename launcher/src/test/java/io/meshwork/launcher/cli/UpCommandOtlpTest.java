package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code mesh up --otlp-endpoint}: a value the control plane could not use stops the mesh before it starts. */
class UpCommandOtlpTest {

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRefusedNamingTheKey() {
        CliRun run = CliRun.mesh("up", "--otlp-endpoint", "collector:4318");
        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("--otlp-endpoint").contains("control-plane.otlp.endpoint")
                .contains("must be an http:// or https:// URL");
    }
}
