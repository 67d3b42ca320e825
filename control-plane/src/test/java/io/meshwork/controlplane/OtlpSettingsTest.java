package io.meshwork.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.MeshConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {

    private static ControlPlaneConfig load(Map<String, String> otlp) {
        Map<String, String> keys = new HashMap<>(otlp);
        keys.put(ControlPlaneKeys.PORT, "0");
        MeshConfig config = ConfigLoader.of(ControlPlaneKeys.schema()).flags(keys, "--set").load();
        return ControlPlaneKeys.build(config);
    }

    @Test
    void exportIsOffByDefault() {
        assertThat(load(Map.of()).otlp().enabled()).isFalse();
        assertThat(new ControlPlaneConfig("127.0.0.1", 0).otlp()).isEqualTo(OtlpSettings.OFF);
    }

    @Test
    void anEndpointWithoutAPathGetsTheTracesPathAndHeadersAndTimeoutAreRead() {
        OtlpSettings otlp = load(Map.of(ControlPlaneKeys.OTLP_ENDPOINT, "http://collector:4318",
                ControlPlaneKeys.OTLP_HEADERS, "Authorization=Bearer abc=,x-tenant=blue", ControlPlaneKeys.OTLP_TIMEOUT, "3s")).otlp();

        assertThat(otlp.endpoint()).isEqualTo(URI.create("http://collector:4318/v1/traces"));
        assertThat(otlp.headers()).containsEntry("Authorization", "Bearer abc=").containsEntry("x-tenant", "blue");
        assertThat(otlp.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(otlp.toString()).contains("collector:4318").doesNotContain("abc");
        assertThat(OtlpSettings.to(URI.create("https://otel.example:443/custom/traces")).endpoint().getPath())
                .isEqualTo("/custom/traces");
    }

    @Test
    void aBadEndpointFailsStartNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of(ControlPlaneKeys.OTLP_ENDPOINT, "collector:4318")))
                .hasMessageContaining(ControlPlaneKeys.OTLP_ENDPOINT);
        assertThatThrownBy(() -> load(Map.of(ControlPlaneKeys.OTLP_ENDPOINT, "http://bad host:4318")))
                .hasMessageContaining(ControlPlaneKeys.OTLP_ENDPOINT);
        assertThatThrownBy(() -> new ControlPlaneConfig("127.0.0.1", 0).withOtlp(OtlpSettings.to(URI.create("ftp://collector/"))))
                .hasMessageContaining(ControlPlaneKeys.OTLP_ENDPOINT);
    }

    @Test
    void grpcAndBadHeadersAndTimeoutsAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of(ControlPlaneKeys.OTLP_ENDPOINT, "http://collector:4317", ControlPlaneKeys.OTLP_PROTOCOL, "grpc")))
                .hasMessageContaining(ControlPlaneKeys.OTLP_PROTOCOL).hasMessageContaining("not supported");
        assertThatThrownBy(() -> load(Map.of(ControlPlaneKeys.OTLP_ENDPOINT, "http://collector:4318", ControlPlaneKeys.OTLP_HEADERS, "secret-token")))
                .hasMessageContaining(ControlPlaneKeys.OTLP_HEADERS).hasMessageNotContaining("secret-token");
        assertThatThrownBy(() -> load(Map.of(ControlPlaneKeys.OTLP_ENDPOINT, "http://collector:4318", ControlPlaneKeys.OTLP_TIMEOUT, "0s")))
                .hasMessageContaining(ControlPlaneKeys.OTLP_TIMEOUT);
    }
}
