package io.meshwork.edge.internal.amqp;

import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.ClientCertificates;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.sasl.ProtonSaslAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL server of an edge with auth on (never ANONYMOUS). Two mechanisms, as the other protocols
 * take their two credentials:
 * <ul>
 *   <li>{@code PLAIN} with the security issue's token as the password (DESIGN.md 2.6); the user name,
 *       when given, must be the token's principal. Chosen with a client certificate too, the token
 *       decides alone (a refused token is refused, never a fall-back to the certificate).</li>
 *   <li>{@code EXTERNAL}, offered only on a connection whose TLS listener verified a client
 *       certificate (mTLS): the principal is the certificate's ({@code EdgeAuth.certified}: SAN, else
 *       CN; no roles or claims, ACL entries only; ends at its {@code notAfter}). A non-empty
 *       authorization identity must be that principal.</li>
 * </ul>
 * A verified client's {@link Access} is kept on the connection's attachments ({@link #access}); anything
 * else fails the SASL outcome with {@code auth} and vertx-proton closes the connection.
 *
 * <p>The token is verified on the connection's event loop: with static keys it is pure CPU work,
 * and a JWKS set is cached by the verifier between fetches.
 */
final class AmqpSasl implements ProtonSaslAuthenticator {

    static final String PLAIN = "PLAIN";
    static final String EXTERNAL = "EXTERNAL";

    private static final Logger LOG = LoggerFactory.getLogger(AmqpSasl.class);
    private static final String ACCESS = "meshwork.access";
    /**
     * Largest SASL frame accepted. proton-j holds SASL frames to AMQP's 512-byte minimum unless told
     * otherwise, and a signed JWT with a few grants is longer than that.
     */
    static final int MAX_SASL_FRAME_BYTES = 16 * 1024;

    private final EdgeAuth auth;
    private Sasl sasl;
    private String remote;
    private ProtonConnection connection;
    private X509Certificate certificate;
    private boolean succeeded;

    AmqpSasl(EdgeAuth auth) {
        this.auth = auth;
    }

    /** The access SASL granted this connection; {@code null} when it did not authenticate. */
    static Access access(ProtonConnection connection) {
        return connection.attachments().get(ACCESS, Access.class);
    }

    @Override
    public void init(NetSocket socket, ProtonConnection connection, Transport transport) {
        this.connection = connection;
        this.remote = String.valueOf(socket.remoteAddress());
        // The handshake is over before SASL starts, and vert.x's trust manager verified any chain it accepted.
        certificate = socket.isSsl() ? ClientCertificates.of(socket.sslSession()) : null;
        transport.setInitialRemoteMaxFrameSize(MAX_SASL_FRAME_BYTES);
        sasl = transport.sasl();
        sasl.server();
        sasl.allowSkip(false);
        if (certificate != null) {
            sasl.setMechanisms(EXTERNAL, PLAIN);
        } else {
            sasl.setMechanisms(PLAIN);
        }
    }

    @Override
    public void process(Handler<Boolean> completionHandler) {
        String[] mechanisms = sasl.getRemoteMechanisms();
        if (mechanisms.length == 0) {
            completionHandler.handle(false); // the client's sasl-init has not arrived yet
            return;
        }
        byte[] response = new byte[sasl.pending()];
        sasl.recv(response, 0, response.length);
        if (PLAIN.equals(mechanisms[0])) {
            succeeded = plain(response);
        } else if (EXTERNAL.equals(mechanisms[0]) && certificate != null) {
            succeeded = external(new String(response, StandardCharsets.UTF_8));
        } else {
            auth.count(IngressProtocol.AMQP, "missing");
            LOG.info("region {}: AMQP client {} refused: SASL mechanism {} carries no credential the edge accepts (PLAIN with "
                    + "the JWT as password{})", auth.region(), remote, mechanisms[0],
                    certificate == null ? "; EXTERNAL needs a verified client certificate" : ", or EXTERNAL");
            succeeded = false;
        }
        sasl.done(succeeded ? Sasl.SaslOutcome.PN_SASL_OK : Sasl.SaslOutcome.PN_SASL_AUTH);
        completionHandler.handle(true);
    }

    /** RFC 4616: {@code [authzid] NUL authcid NUL passwd}; the password is the JWT. */
    private boolean plain(byte[] response) {
        String[] parts = new String(response, StandardCharsets.UTF_8).split("\0", -1);
        String user = parts.length == 3 ? parts[1] : "";
        String token = parts.length == 3 ? parts[2] : null;
        try {
            return granted(auth.authenticate(IngressProtocol.AMQP, token == null || token.isEmpty() ? null : token, remote), user);
        } catch (Refusal refused) {
            return false; // counted and logged by EdgeAuth
        }
    }

    /** RFC 4422 appendix A: the response is the authorization identity, empty for the certificate's own. */
    private boolean external(String authorizationId) {
        try {
            return granted(auth.certified(IngressProtocol.AMQP, certificate, remote), authorizationId);
        } catch (Refusal refused) {
            return false; // a certificate naming no principal: counted and logged by EdgeAuth
        }
    }

    private boolean granted(Access access, String claimedName) {
        String principal = access.principal().orElseThrow();
        if (!claimedName.isEmpty() && !claimedName.equals(principal)) {
            auth.count(IngressProtocol.AMQP, "user_name_mismatch");
            LOG.info("region {}: AMQP client {} refused: user name '{}' is not the principal {} of its credential", auth.region(),
                    remote, claimedName, principal);
            return false;
        }
        connection.attachments().set(ACCESS, Access.class, access);
        LOG.debug("region {}: AMQP client {} authenticated as {}", auth.region(), remote, principal);
        return true;
    }

    @Override
    public boolean succeeded() {
        return succeeded;
    }
}
