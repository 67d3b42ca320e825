package io.meshwork.edge.internal.amqp;

import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.sasl.ProtonSaslAuthenticator;
import java.nio.charset.StandardCharsets;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL PLAIN with the security issue's token as the password (DESIGN.md 2.6), for an edge with
 * auth on: the only mechanism offered (never ANONYMOUS). The user name, when given, must be the
 * token's principal. A verified client's {@link Access} is kept on the connection's attachments
 * ({@link #access(ProtonConnection)}); anything else fails the SASL outcome with {@code auth} and
 * vertx-proton closes the connection.
 *
 * <p>The token is verified on the connection's event loop: with static keys it is pure CPU work,
 * and a JWKS set is cached by the verifier between fetches.
 */
final class AmqpSaslPlain implements ProtonSaslAuthenticator {

    static final String PLAIN = "PLAIN";

    private static final Logger LOG = LoggerFactory.getLogger(AmqpSaslPlain.class);
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
    private boolean succeeded;

    AmqpSaslPlain(EdgeAuth auth) {
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
        transport.setInitialRemoteMaxFrameSize(MAX_SASL_FRAME_BYTES);
        sasl = transport.sasl();
        sasl.server();
        sasl.allowSkip(false);
        sasl.setMechanisms(PLAIN);
    }

    @Override
    public void process(Handler<Boolean> completionHandler) {
        String[] mechanisms = sasl.getRemoteMechanisms();
        if (mechanisms.length == 0) {
            completionHandler.handle(false); // the client's sasl-init has not arrived yet
            return;
        }
        if (!PLAIN.equals(mechanisms[0])) {
            auth.count(IngressProtocol.AMQP, "missing");
            LOG.info("region {}: AMQP client {} refused: SASL mechanism {} offered no token (only PLAIN with the JWT as "
                    + "password is accepted)", auth.region(), remote, mechanisms[0]);
            sasl.done(Sasl.SaslOutcome.PN_SASL_AUTH);
            completionHandler.handle(true);
            return;
        }
        byte[] response = new byte[sasl.pending()];
        sasl.recv(response, 0, response.length);
        succeeded = verify(response);
        sasl.done(succeeded ? Sasl.SaslOutcome.PN_SASL_OK : Sasl.SaslOutcome.PN_SASL_AUTH);
        completionHandler.handle(true);
    }

    /** RFC 4616: {@code [authzid] NUL authcid NUL passwd}; the password is the JWT. */
    private boolean verify(byte[] response) {
        String[] parts = new String(response, StandardCharsets.UTF_8).split("\0", -1);
        String user = parts.length == 3 ? parts[1] : "";
        String token = parts.length == 3 ? parts[2] : null;
        try {
            Access access = auth.authenticate(IngressProtocol.AMQP, token == null || token.isEmpty() ? null : token, remote);
            String principal = access.principal().orElseThrow();
            if (!user.isEmpty() && !user.equals(principal)) {
                auth.count(IngressProtocol.AMQP, "user_name_mismatch");
                LOG.info("region {}: AMQP client {} refused: user name '{}' is not the token's principal {}", auth.region(),
                        remote, user, principal);
                return false;
            }
            connection.attachments().set(ACCESS, Access.class, access);
            LOG.debug("region {}: AMQP client {} authenticated as {}", auth.region(), remote, principal);
            return true;
        } catch (Refusal refused) {
            return false; // counted and logged by EdgeAuth
        }
    }

    @Override
    public boolean succeeded() {
        return succeeded;
    }
}
