package io.meshwork.core.tls;

import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An HTTPS (and WSS) connector for a Jetty server (Javalin's {@code jetty.addConnector}) over a
 * service's {@link ServerTls}, on the host and port the plaintext connector would have used.
 */
public final class JettyTls {

    private JettyTls() {
    }

    /** A connector serving TLS on {@code host:port} (0 = a free port). */
    public static Connector connector(Server server, HttpConfiguration http, ServerTls tls, String host, int port) {
        return connector(server, http, tls, host, port, null);
    }

    /**
     * As {@link #connector(Server, HttpConfiguration, ServerTls, String, int)}, telling {@code failures}
     * (unless {@code null}) of every handshake the connector refuses, as protocol {@code https}.
     */
    public static Connector connector(Server server, HttpConfiguration http, ServerTls tls, String host, int port,
                                      TlsHandshakeFailures failures) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.sslContext());
        ssl.setNeedClientAuth(tls.clientAuth() == ClientAuth.REQUIRED);
        ssl.setWantClientAuth(tls.clientAuth() == ClientAuth.REQUESTED);
        HttpConfiguration https = new HttpConfiguration(http);
        // The certificate comes from our own reloading key manager, which Jetty does not see, so
        // Jetty cannot match the Host header against it; clients check the name themselves.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        SslConnectionFactory tlsFactory = new SslConnectionFactory(ssl, org.eclipse.jetty.http.HttpVersion.HTTP_1_1.asString());
        if (failures != null) {
            // Jetty hands each new TLS connection the factory's handshake listeners.
            tlsFactory.addBean(new SslHandshakeListener() {
                @Override
                public void handshakeFailed(Event event, Throwable failure) {
                    failures.failed("https", String.valueOf(event.getEndPoint().getRemoteSocketAddress()), failure);
                }
            });
        }
        ServerConnector connector = new ServerConnector(server, tlsFactory, new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }
}
