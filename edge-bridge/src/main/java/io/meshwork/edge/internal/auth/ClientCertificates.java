package io.meshwork.edge.internal.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The client certificate a TLS listener verified (mTLS), as each server library hands it over: the
 * leaf of the chain, or {@code null} when the client presented none (or the connection is not TLS).
 * Every listener's trust manager has checked the chain against its trust store before the
 * handshake completed, so whatever is found here is verified.
 */
public final class ClientCertificates {

    /** Where the Servlet API (Jetty's SecureRequestCustomizer) puts the client's certificate chain. */
    private static final String SERVLET_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private ClientCertificates() {
    }

    /** The client certificate of an HTTP request (REST, WebSocket upgrade). */
    public static X509Certificate of(HttpServletRequest request) {
        return request.getAttribute(SERVLET_ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0 ? chain[0] : null;
    }

    /** The client certificate of a TLS session (gRPC's {@code Grpc.TRANSPORT_ATTR_SSL_SESSION}). */
    public static X509Certificate of(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null; // no client certificate: client auth none, or requested and not presented
        }
    }
}
