package io.meshwork.core.tls;

import java.util.Arrays;
import java.util.Locale;

/** Whether a TLS listener asks its clients for a certificate (mTLS). */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is asked for; one signed by an unknown CA is refused, none is accepted. */
    REQUESTED,
    /** A client certificate signed by a trusted CA is required; the handshake fails without one. */
    REQUIRED;

    /** The configuration value, e.g. {@code requested}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode for a configuration value ({@code none}, {@code requested}, {@code required}). */
    public static ClientAuth of(String value) {
        return Arrays.stream(values()).filter(mode -> mode.value().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("must be none, requested or required, not " + value));
    }
}
