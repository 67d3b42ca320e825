package io.meshwork.core.tls;

import io.meshwork.core.config.MeshConfig;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The TLS keys of a service's listeners, declared once for every service under its own prefix
 * ({@code edge.tls.*}, {@code control-plane.tls.*}).
 */
public final class TlsKeys {

    public static final String ENABLED = "tls.enabled";
    public static final String KEYSTORE_PATH = "tls.keystore.path";
    public static final String KEYSTORE_PASSWORD = "tls.keystore.password";
    public static final String TRUSTSTORE_PATH = "tls.truststore.path";
    public static final String TRUSTSTORE_PASSWORD = "tls.truststore.password";
    public static final String CLIENT_AUTH = "tls.client.auth";

    private TlsKeys() {
    }

    /**
     * Declares the keys under {@code prefix} (e.g. {@code edge.}).
     *
     * @param listeners what serves TLS when it is on, for the keys' docs
     */
    public static ConfigDef define(ConfigDef keys, String prefix, String listeners) {
        ConfigDef.Validator path = (name, value) -> {
            if (value != null && value.toString().isBlank()) {
                throw new org.apache.kafka.common.config.ConfigException(name, value, "must be a file path");
            }
        };
        return keys
                .define(prefix + ENABLED, Type.BOOLEAN, false, Importance.HIGH,
                        "Serve TLS on " + listeners + " (same ports; plaintext is then refused there).")
                .define(prefix + KEYSTORE_PATH, Type.STRING, null, path, Importance.HIGH,
                        "PKCS12 (or JKS) file with the server's private key and certificate chain; required when "
                                + prefix + ENABLED + " is true. Read again when it changes.")
                .define(prefix + KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.HIGH,
                        "Password of the key store and of its key.")
                .define(prefix + TRUSTSTORE_PATH, Type.STRING, null, path, Importance.MEDIUM,
                        "PKCS12 (or JKS) file with the CAs whose client certificates are accepted (mTLS); required when "
                                + prefix + CLIENT_AUTH + " is not none. Read again when it changes.")
                .define(prefix + TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                        "Password of the trust store.")
                .define(prefix + CLIENT_AUTH, Type.STRING, ClientAuth.NONE.value(),
                        ConfigDef.ValidString.in("none", "requested", "required"), Importance.MEDIUM,
                        "Client certificates (mTLS): none; requested (a certificate from an unknown CA is refused, none is "
                                + "accepted); required. The principal is the certificate's first subject alternative name.");
    }

    /**
     * The settings under {@code prefix}; the stores are opened once here, so a missing file or a
     * wrong password stops the service naming the key.
     *
     * @throws io.meshwork.core.config.ConfigError naming the source and key of a bad value
     */
    public static TlsSettings build(MeshConfig config, String prefix) {
        if (!Boolean.TRUE.equals(config.bool(prefix + ENABLED))) {
            String mode = config.string(prefix + CLIENT_AUTH);
            return config.build(() -> new TlsSettings(null, null, null, null, ClientAuth.of(mode), prefix));
        }
        String keystore = config.string(prefix + KEYSTORE_PATH);
        if (keystore == null) {
            throw config.error(new io.meshwork.core.config.InvalidSettingException(prefix + KEYSTORE_PATH,
                    "missing required value when " + prefix + ENABLED + " is true"));
        }
        String truststore = config.string(prefix + TRUSTSTORE_PATH);
        TlsSettings settings = config.build(() -> new TlsSettings(Path.of(keystore), text(config.password(prefix + KEYSTORE_PASSWORD)),
                truststore == null ? null : Path.of(truststore), text(config.password(prefix + TRUSTSTORE_PASSWORD)),
                ClientAuth.of(config.string(prefix + CLIENT_AUTH)), prefix));
        config.build(() -> StoreFiles.check(settings));
        return settings;
    }

    private static String text(Password password) {
        return password == null ? null : password.value();
    }
}
