package io.meshwork.core.tls;

import io.meshwork.core.metrics.MeshMetrics;
import io.micrometer.core.instrument.Counter;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs the TLS handshakes a service's listeners refused, by protocol and reason
 * ({@link Reason}): {@code mesh.edge.tls.handshake.failed{region,protocol,reason}} on an edge. The
 * log line names the region, protocol, remote address and reason, never a stack trace: a refused
 * handshake is the client's doing.
 */
public final class TlsHandshakeFailures {

    /** Why a handshake failed, as the metric's {@code reason} tag says it. */
    public enum Reason {
        /** The client sent something that is not TLS (plaintext HTTP, MQTT, AMQP to a TLS port). */
        PLAINTEXT,
        /** The client's certificate is not signed by a trusted CA. */
        UNKNOWN_CA,
        /** The client's certificate has expired (or is not valid yet). */
        EXPIRED_CERTIFICATE,
        /** mTLS is required and the client sent no certificate. */
        NO_CLIENT_CERTIFICATE,
        /** The client ended the handshake with an alert, e.g. because it does not trust the server's certificate. */
        CLIENT_ALERT,
        /**
         * The handshake did not finish in time. Netty counts some plaintext openings as the start of an
         * SSLv2 hello and waits for the rest: the AMQP SASL header ({@code AMQP 3 1 0 0}) ends up here.
         */
        HANDSHAKE_TIMEOUT,
        /** Anything else (no shared protocol or cipher, a connection cut mid-handshake, ...). */
        OTHER;

        /** The metric tag. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeFailures.class);
    /** Netty's plaintext message and the client's bytes it dumps in hex after it. */
    private static final Pattern CLIENT_BYTES = Pattern.compile("(not an SSL/TLS record):\\s*[0-9a-fA-F]+", Pattern.CASE_INSENSITIVE);

    private final String region;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** The failures of one edge's listeners, in {@code region}. */
    public TlsHandshakeFailures(String region) {
        this.region = region;
    }

    /** Counts and logs a refused handshake of {@code protocol} (e.g. {@code https}) from {@code remote}. */
    public void failed(String protocol, String remote, Throwable failure) {
        Reason reason = reason(failure);
        counters.computeIfAbsent(protocol + '/' + reason, key -> Counter.builder("mesh.edge.tls.handshake.failed")
                .description("TLS handshakes the edge's listeners refused, by protocol and reason")
                .tags("region", region, "protocol", protocol, "reason", reason.tag())
                .register(MeshMetrics.registry())).increment();
        LOG.info("region {}: {} TLS handshake from {} refused ({}): {}", region, protocol, remote, reason.tag(), message(failure));
    }

    /** The reason of a failed handshake, read from the JDK's exception and its causes. */
    public static Reason reason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException) {
                return Reason.EXPIRED_CERTIFICATE;
            }
            if (cause instanceof CertPathValidatorException path
                    && path.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Reason.EXPIRED_CERTIFICATE;
            }
        }
        String text = chain(failure).toLowerCase(Locale.ROOT);
        // The JDK's engine (Jetty) and Netty's record check (gRPC, AMQP) say it differently.
        if (text.contains("unsupported or unrecognized ssl message") || text.contains("plaintext connection")
                || text.contains("not an ssl/tls record")) {
            return Reason.PLAINTEXT;
        }
        if (text.contains("validity check failed") || text.contains("certificate expired") || text.contains("notafter")) {
            return Reason.EXPIRED_CERTIFICATE;
        }
        // A CA of the same name as a trusted one is found by name, then fails the signature check.
        if (text.contains("pkix path building failed") || text.contains("unable to find valid certification path")
                || text.contains("signature check failed")) {
            return Reason.UNKNOWN_CA;
        }
        if (text.contains("empty client certificate chain") || text.contains("empty certificate chain")
                || text.contains("null cert chain")) {
            return Reason.NO_CLIENT_CERTIFICATE;
        }
        if (text.contains("received fatal alert")) {
            return Reason.CLIENT_ALERT;
        }
        if (text.contains("handshake timed out")) {
            return Reason.HANDSHAKE_TIMEOUT;
        }
        return Reason.OTHER;
    }

    private static String chain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append(" | ");
        }
        return text.toString();
    }

    // A connection closed mid-handshake comes as Netty's ClosedChannelException, which has no message.
    private static String said(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    /** The failure as the log line says it: never the client's bytes (Netty's plaintext message dumps them in hex). */
    static String message(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root == failure ? said(failure) : said(failure) + " (" + said(root) + ")";
        // A plaintext client's first bytes may carry its credentials (an HTTP/2 authorization header, SASL PLAIN).
        return CLIENT_BYTES.matcher(text).replaceAll("$1");
    }

}
