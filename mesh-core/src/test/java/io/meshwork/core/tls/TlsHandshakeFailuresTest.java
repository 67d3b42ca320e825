package io.meshwork.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.tls.TlsHandshakeFailures.Reason;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHandshakeFailuresTest {

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void plaintextToATlsPortIsToldApartFromCertificateFailures() {
        assertThat(TlsHandshakeFailures.reason(new javax.net.ssl.SSLException("Unsupported or unrecognized SSL message")))
                .isEqualTo(Reason.PLAINTEXT);
        // Netty's record check, before the JDK's engine sees anything (gRPC, AMQP).
        assertThat(TlsHandshakeFailures.reason(new javax.net.ssl.SSLException("not an SSL/TLS record: 414d515000010000")))
                .isEqualTo(Reason.PLAINTEXT);
    }

    @Test
    void theLogLineNeverQuotesTheClientsBytes() {
        // "Bearer x" in hex, as a plaintext HTTP/2 client's headers could carry it.
        assertThat(TlsHandshakeFailures.message(new javax.net.ssl.SSLException("not an SSL/TLS record: 50524920426561726572207")))
                .isEqualTo("not an SSL/TLS record");
        assertThat(TlsHandshakeFailures.message(new java.nio.channels.ClosedChannelException())).isEqualTo("ClosedChannelException");
    }

    @Test
    void aHandshakeThatNeverFinishesIsATimeout() {
        assertThat(TlsHandshakeFailures.reason(new javax.net.ssl.SSLException("handshake timed out after 10000ms")))
                .isEqualTo(Reason.HANDSHAKE_TIMEOUT);
        assertThat(Reason.HANDSHAKE_TIMEOUT.tag()).isEqualTo("handshake_timeout");
    }

    @Test
    void anExpiredClientCertificateIsFoundAmongTheCauses() {
        assertThat(TlsHandshakeFailures.reason(handshake("PKIX path validation failed",
                new CertificateException("x", new CertificateExpiredException("NotAfter: ...")))))
                .isEqualTo(Reason.EXPIRED_CERTIFICATE);
        assertThat(TlsHandshakeFailures.reason(handshake(
                "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed", null)))
                .isEqualTo(Reason.EXPIRED_CERTIFICATE);
    }

    @Test
    void anUnknownCaAMissingCertificateAndAClientAlertHaveTheirOwnReasons() {
        assertThat(TlsHandshakeFailures.reason(handshake("PKIX path building failed: "
                + "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path", null)))
                .isEqualTo(Reason.UNKNOWN_CA);
        assertThat(TlsHandshakeFailures.reason(handshake("PKIX path validation failed: "
                + "java.security.cert.CertPathValidatorException: signature check failed", null))).isEqualTo(Reason.UNKNOWN_CA);
        assertThat(TlsHandshakeFailures.reason(handshake("Empty client certificate chain", null))).isEqualTo(Reason.NO_CLIENT_CERTIFICATE);
        assertThat(TlsHandshakeFailures.reason(handshake("Received fatal alert: certificate_unknown", null))).isEqualTo(Reason.CLIENT_ALERT);
        assertThat(TlsHandshakeFailures.reason(new java.io.EOFException("closed"))).isEqualTo(Reason.OTHER);
    }
}
