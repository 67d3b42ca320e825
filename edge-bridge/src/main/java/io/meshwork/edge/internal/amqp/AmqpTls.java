package io.meshwork.edge.internal.amqp;

import io.meshwork.core.tls.ServerTls;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.proton.ProtonServerOptions;

/**
 * AMQP over TLS (amqps) on the AMQP port, from the edge's one {@link ServerTls}. vert.x is given
 * the reloading key and trust managers themselves, not the key material, so a replaced certificate
 * or trust store is used from the next handshake on, as on every other listener.
 */
final class AmqpTls {

    private AmqpTls() {
    }

    static void apply(ServerTls tls, ProtonServerOptions options) {
        options.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(tls.keyManager()));
        if (tls.trustManager() != null) {
            options.setTrustOptions(TrustOptions.wrap(tls.trustManager()));
        }
        options.setClientAuth(switch (tls.clientAuth()) {
            case NONE -> ClientAuth.NONE;
            case REQUESTED -> ClientAuth.REQUEST;
            case REQUIRED -> ClientAuth.REQUIRED;
        });
    }
}
