package io.meshwork.core.tls;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The one way a service's listeners get their TLS: a key manager and a trust manager over the
 * configured files, both read again when the files change, and a JDK {@link SSLContext} over
 * them. Jetty takes the context, Netty (gRPC) the managers, so every listener of a service serves
 * the same certificate and a replaced file reaches each of them on its next handshake.
 */
public final class ServerTls {

    private final TlsSettings settings;
    private final X509ExtendedKeyManager keyManager;
    private final X509ExtendedTrustManager trustManager;
    private final SSLContext context;

    private ServerTls(TlsSettings settings) {
        this.settings = settings;
        this.keyManager = new ReloadingKeyManager(settings.keystore(), settings.keystorePassword(),
                settings.keyPrefix() + TlsKeys.KEYSTORE_PATH);
        this.trustManager = settings.truststore() == null ? null
                : new ReloadingTrustManager(settings.truststore(), settings.truststorePassword(),
                        settings.keyPrefix() + TlsKeys.TRUSTSTORE_PATH);
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new javax.net.ssl.KeyManager[] {keyManager},
                    trustManager == null ? null : new TrustManager[] {trustManager}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Opens the stores of {@code settings}.
     *
     * @throws io.meshwork.core.config.InvalidSettingException naming the key of a store that cannot be used
     */
    public static ServerTls open(TlsSettings settings) {
        Objects.requireNonNull(settings, "settings");
        if (!settings.enabled()) {
            throw new IllegalArgumentException("TLS is off");
        }
        return new ServerTls(settings);
    }

    /** The settings these were built from. */
    public TlsSettings settings() {
        return settings;
    }

    /** Server context for JDK-based servers (Jetty). Client auth is set per listener from {@link #clientAuth()}. */
    public SSLContext sslContext() {
        return context;
    }

    /** The server's key manager (reloading). */
    public X509ExtendedKeyManager keyManager() {
        return keyManager;
    }

    /** Checks client certificates (reloading); {@code null} when no trust store is configured. */
    public X509ExtendedTrustManager trustManager() {
        return trustManager;
    }

    /** Whether clients are asked for a certificate. */
    public ClientAuth clientAuth() {
        return settings.clientAuth();
    }
}
