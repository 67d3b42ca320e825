package io.meshwork.core.tls;

import io.meshwork.core.config.InvalidSettingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;

/** Reads key and trust stores, naming the configuration key of a store that cannot be used. */
final class StoreFiles {

    private StoreFiles() {
    }

    /** Opens both stores of {@code settings} once: a missing file or a wrong password fails the start. */
    static TlsSettings check(TlsSettings settings) {
        if (!settings.enabled()) {
            return settings;
        }
        KeyStore keys = load(settings.keystore(), settings.keystorePassword(), settings.keyPrefix() + TlsKeys.KEYSTORE_PATH);
        try {
            boolean hasKey = false;
            for (String alias : Collections.list(keys.aliases())) {
                hasKey |= keys.isKeyEntry(alias);
            }
            if (!hasKey) {
                throw new InvalidSettingException(settings.keyPrefix() + TlsKeys.KEYSTORE_PATH,
                        settings.keystore() + " holds no private key");
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidSettingException(settings.keyPrefix() + TlsKeys.KEYSTORE_PATH, settings.keystore() + ": " + e.getMessage());
        }
        if (settings.truststore() != null) {
            load(settings.truststore(), settings.truststorePassword(), settings.keyPrefix() + TlsKeys.TRUSTSTORE_PATH);
        }
        return settings;
    }

    /**
     * The store at {@code file}.
     *
     * @param key the configuration key that named the file, for the error
     */
    static KeyStore load(Path file, String password, String key) {
        if (!Files.isReadable(file)) {
            throw new InvalidSettingException(key, "cannot read " + file.toAbsolutePath());
        }
        try (InputStream in = Files.newInputStream(file)) {
            // PKCS12 and JKS both load through "PKCS12" since Java 9 (keystore.type.compat).
            KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // A wrong password shows as an IOException whose cause is UnrecoverableKeyException.
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException ? "wrong password" : e.getMessage();
            throw new InvalidSettingException(key, "cannot open " + file.toAbsolutePath() + ": " + why);
        }
    }
}
