package io.meshwork.core.tls;

import io.meshwork.core.config.InvalidSettingException;
import java.nio.file.Path;

/**
 * TLS of one service's listeners: the server's key store, the trust store that checks client
 * certificates, and whether clients must present one. Stores are PKCS12 (or JKS) files; they are
 * read again when they change (see {@link ServerTls}).
 *
 * @param keystore           the server's private key and certificate chain; {@code null}: TLS off
 * @param keystorePassword   password of the key store and of its key
 * @param truststore         CAs whose client certificates are accepted; {@code null}: none (only
 *                           with {@link ClientAuth#NONE})
 * @param truststorePassword password of the trust store ({@code null} for none)
 * @param clientAuth         whether clients are asked for a certificate
 * @param keyPrefix          prefix of the configuration keys these came from (e.g. {@code edge.}),
 *                           so that a problem found later names the key
 */
public record TlsSettings(Path keystore, String keystorePassword, Path truststore, String truststorePassword,
                          ClientAuth clientAuth, String keyPrefix) {

    /** TLS off: the listeners serve plaintext. */
    public static final TlsSettings OFF = new TlsSettings(null, null, null, null, ClientAuth.NONE, "");

    public TlsSettings {
        clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        if (keystore == null && clientAuth != ClientAuth.NONE) {
            throw new InvalidSettingException(keyPrefix + TlsKeys.CLIENT_AUTH, "needs TLS on (" + keyPrefix + TlsKeys.ENABLED + ")");
        }
        if (keystore != null && (keystorePassword == null || keystorePassword.isEmpty())) {
            throw new InvalidSettingException(keyPrefix + TlsKeys.KEYSTORE_PASSWORD, "missing required value when TLS is on");
        }
        if (clientAuth != ClientAuth.NONE && truststore == null) {
            throw new InvalidSettingException(keyPrefix + TlsKeys.TRUSTSTORE_PATH,
                    "missing required value when " + keyPrefix + TlsKeys.CLIENT_AUTH + " is " + clientAuth.value());
        }
    }

    /** TLS with the key store at {@code keystore} and no client certificates. */
    public static TlsSettings server(Path keystore, String password) {
        return new TlsSettings(keystore, password, null, null, ClientAuth.NONE, "");
    }

    /** The same, checking client certificates against the CAs in {@code truststore} as {@code mode} says. */
    public TlsSettings withClientAuth(Path truststore, String password, ClientAuth mode) {
        return new TlsSettings(keystore, keystorePassword, truststore, password, mode, keyPrefix);
    }

    /** Whether the listeners serve TLS. */
    public boolean enabled() {
        return keystore != null;
    }

    /** No passwords in logs. */
    @Override
    public String toString() {
        return enabled() ? "TLS(keystore=" + keystore + ", truststore=" + truststore + ", client auth " + clientAuth.value() + ")"
                : "TLS(off)";
    }
}
