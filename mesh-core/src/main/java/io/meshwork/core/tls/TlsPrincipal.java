package io.meshwork.core.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The principal a client proved with its TLS certificate (mTLS): the certificate's first subject
 * alternative name (DNS name, URI, e-mail or IP address, in that order), else the subject's CN.
 * The authenticated identity a protocol can hand to authorisation when no token names one.
 */
public record TlsPrincipal(String name) {

    public TlsPrincipal {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a TLS principal needs a name");
        }
    }

    // GeneralName tags of RFC 5280 as the JDK reports them.
    private static final int EMAIL = 1;
    private static final int DNS = 2;
    private static final int URI = 6;
    private static final int IP = 7;
    private static final List<Integer> PREFERRED = List.of(DNS, URI, EMAIL, IP);

    /** The principal of a handshake's verified client certificate; empty without one. */
    public static Optional<TlsPrincipal> from(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? from(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The principal a client certificate names (first preferred SAN, else CN). */
    public static Optional<TlsPrincipal> from(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (int type : PREFERRED) {
                    for (List<?> name : names) {
                        if (name.size() >= 2 && name.get(0) instanceof Integer tag && tag == type && name.get(1) instanceof String value) {
                            return Optional.of(new TlsPrincipal(value));
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // Unreadable SANs: fall back to the subject.
        }
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && !rdn.getValue().toString().isBlank()) {
                    return Optional.of(new TlsPrincipal(rdn.getValue().toString()));
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
