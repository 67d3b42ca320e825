package io.meshwork.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.config.ConfigError;
import io.meshwork.core.config.ConfigLoader;
import io.meshwork.core.config.ConfigSchema;
import io.meshwork.core.config.MeshConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeysTest {

    private static final ConfigSchema SCHEMA = new ConfigSchema("demo", TlsKeys.define(new ConfigDef(), "demo.", "the demo port"), List.of());

    @TempDir
    static Path dir;

    private static LocalCertificates certificates;

    @BeforeAll
    static void generate() {
        certificates = LocalCertificates.ensure(dir.resolve("certs"));
    }

    private static TlsSettings build(Map<String, String> keys) {
        MeshConfig config = ConfigLoader.of(SCHEMA).flags(keys, "--set").load();
        return TlsKeys.build(config, "demo.");
    }

    private static Map<String, String> on() {
        Map<String, String> keys = new HashMap<>();
        keys.put("demo.tls.enabled", "true");
        keys.put("demo.tls.keystore.path", certificates.serverKeyStore().toString());
        keys.put("demo.tls.keystore.password", certificates.password());
        return keys;
    }

    @Test
    void offByDefault() {
        assertThat(build(Map.of()).enabled()).isFalse();
    }

    @Test
    void onWithAKeyStoreAndOptionalClientCertificates() {
        Map<String, String> keys = on();
        keys.put("demo.tls.truststore.path", certificates.caTrustStore().toString());
        keys.put("demo.tls.truststore.password", certificates.password());
        keys.put("demo.tls.client.auth", "required");

        TlsSettings settings = build(keys);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.clientAuth()).isEqualTo(ClientAuth.REQUIRED);
        assertThat(settings.toString()).doesNotContain(certificates.password());
    }

    @Test
    void badSettingsStopTheStartNamingTheKeyAndNeverThePassword() {
        Map<String, String> noStore = on();
        noStore.remove("demo.tls.keystore.path");
        assertThatThrownBy(() -> build(noStore)).isInstanceOf(ConfigError.class)
                .hasMessageContaining("demo.tls.keystore.path").hasMessageContaining("demo.tls.enabled");

        Map<String, String> missingFile = on();
        missingFile.put("demo.tls.keystore.path", dir.resolve("nowhere.p12").toString());
        assertThatThrownBy(() -> build(missingFile)).hasMessageContaining("demo.tls.keystore.path").hasMessageContaining("cannot read");

        Map<String, String> wrongPassword = on();
        wrongPassword.put("demo.tls.keystore.password", "not-the-password");
        assertThatThrownBy(() -> build(wrongPassword)).hasMessageContaining("demo.tls.keystore.path")
                .hasMessageContaining("wrong password").hasMessageNotContaining("not-the-password");

        Map<String, String> mtlsWithoutTrust = on();
        mtlsWithoutTrust.put("demo.tls.client.auth", "requested");
        assertThatThrownBy(() -> build(mtlsWithoutTrust)).hasMessageContaining("demo.tls.truststore.path");

        assertThatThrownBy(() -> build(Map.of("demo.tls.client.auth", "required"))).hasMessageContaining("demo.tls.client.auth")
                .hasMessageContaining("demo.tls.enabled");
        assertThatThrownBy(() -> build(Map.of("demo.tls.client.auth", "sometimes"))).hasMessageContaining("demo.tls.client.auth");
    }
}
