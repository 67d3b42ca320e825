package io.meshwork.edge.tls;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Real TLS clients of each protocol, trusting a given CA (and optionally presenting a client
 * certificate), built the way an application would build them.
 *
 * @param trustStore PKCS12 trust store with the CA the client trusts
 * @param keyStore   PKCS12 key store with the client's certificate, or {@code null} for none
 */
record TlsClients(Path trustStore, Path keyStore, String password) {

    SSLContext sslContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(), trustManagers().getTrustManagers(), null);
        return context;
    }

    /**
     * As {@link #sslContext()}, but presenting the client certificate whatever CAs the server asks
     * for, as a misconfigured or hostile client would (the JDK's own key manager sends none whose
     * issuer the server does not list, so the server would only see a missing certificate).
     */
    SSLContext sslContextPresentingAnyway() throws Exception {
        javax.net.ssl.X509ExtendedKeyManager keys = (javax.net.ssl.X509ExtendedKeyManager) keyManagers()[0];
        String alias = keys.getClientAliases("EC", null)[0];
        javax.net.ssl.X509ExtendedKeyManager anyIssuer = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyTypes, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return alias;
            }

            @Override
            public String chooseClientAlias(String[] keyTypes, java.security.Principal[] issuers, java.net.Socket socket) {
                return alias;
            }

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return keys.getClientAliases(keyType, null);
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return keys.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return null;
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String name) {
                return keys.getCertificateChain(name);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String name) {
                return keys.getPrivateKey(name);
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {anyIssuer}, trustManagers().getTrustManagers(), null);
        return context;
    }

    private TrustManagerFactory trustManagers() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(trustStore));
        return trust;
    }

    private javax.net.ssl.KeyManager[] keyManagers() throws Exception {
        if (keyStore == null) {
            return null;
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), password.toCharArray());
        return keys.getKeyManagers();
    }

    private KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    /** A copy of the key store {@code store} under {@code newPassword}, so one client can hold another CA's certificate. */
    static Path rekeyed(Path store, String password, String newPassword, Path target) throws Exception {
        KeyStore from = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            from.load(in, password.toCharArray());
        }
        KeyStore to = KeyStore.getInstance("PKCS12");
        to.load(null, null);
        for (String alias : java.util.Collections.list(from.aliases())) {
            to.setKeyEntry(alias, from.getKey(alias, password.toCharArray()), newPassword.toCharArray(), from.getCertificateChain(alias));
        }
        try (java.io.OutputStream out = Files.newOutputStream(target)) {
            to.store(out, newPassword.toCharArray());
        }
        return target;
    }

    /** A CloudEvents binary-mode publish over https with java.net.http. */
    HttpResponse<String> publish(int port, String topic, String eventId) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(publishRequest("https", port, topic, eventId), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest publishRequest(String scheme, int port, String topic, String eventId) {
        return HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + "/v1/events/publish"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                .header("ce-type", "test.event")
                .header("ce-source", "/tests")
                .header("ce-id", eventId)
                .header("ce-meshtopic", topic)
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}", StandardCharsets.UTF_8))
                .build();
    }

    /** A Jetty WebSocket client (not started) speaking wss. */
    WebSocketClient webSocketClient() throws Exception {
        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setSslContext(sslContext());
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        return new WebSocketClient(new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP(connector)));
    }

    /** A grpc-java channel over TLS. */
    ManagedChannel grpcChannel(int port) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(trustManagers());
        if (keyStore != null) {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore), password.toCharArray());
            ssl.keyManager(keys);
        }
        return NettyChannelBuilder.forAddress("localhost", port).sslContext(ssl.build()).build();
    }
}
