package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.EdgeAuth;
import io.meshwork.edge.internal.ingress.IngressProtocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT's side of the edge's authentication (only registered with auth on): the CONNECT password is
 * the JWT and the user name, when given, must be its principal. A client without a password that
 * presented a client certificate the TLS listener verified (mTLS) is instead the certificate's
 * principal, whose permissions are its control-plane ACL entries only, until the certificate's
 * {@code notAfter}; its user name, when given, must be that principal too. A missing or refused
 * token gets CONNACK 0x86 "bad user name or password" (MQTT 3.1.1: return code 4), a user name that
 * is not the principal 0x87 "not authorized" (3.1.1: 5), and so does a will on a topic the principal
 * may not publish ({@link MqttWills#authorise}). The verified claims (or the certificate's principal
 * and expiry) are kept with the connection, where {@link MqttAccessAuthorizer} reads them for each
 * SUBSCRIBE and PUBLISH, and the connection is cut when the token (certificate) expires
 * ({@link MqttTokenExpiry}).
 */
final class MqttAuthentication implements SimpleAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAuthentication.class);
    private static final String CLAIMS = "meshwork.claims";
    // "<notAfter epoch ms> <principal>": a certificate's principal, kept as the claims are.
    private static final String CERTIFIED = "meshwork.certified";

    private final EdgeAuth auth;
    private final MqttWills wills;
    private final MqttTokenExpiry expiry;
    private final MqttRevocations revocations;

    MqttAuthentication(EdgeAuth auth, MqttWills wills, MqttTokenExpiry expiry, MqttRevocations revocations) {
        this.auth = auth;
        this.wills = wills;
        this.expiry = expiry;
        this.revocations = revocations;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        String token = input.getConnectPacket().getPassword().map(MqttAuthentication::text).orElse(null);
        X509Certificate certificate = token != null ? null : input.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate).orElse(null);
        JWTClaimsSet claims = null;
        Access access;
        String principal;
        try {
            if (certificate != null) {
                access = auth.certified(IngressProtocol.MQTT, certificate, clientId);
                principal = access.principal().orElseThrow();
            } else {
                claims = auth.verifiedClaims(IngressProtocol.MQTT, token, clientId);
                access = auth.access(IngressProtocol.MQTT, claims.toString());
                principal = claims.getSubject();
            }
        } catch (Refusal refusal) {
            output.failAuthentication(ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, refusal.getMessage());
            return;
        }
        Optional<String> userName = input.getConnectPacket().getUserName();
        if (userName.isPresent() && !userName.get().equals(principal)) {
            String credential = certificate != null ? "client certificate's" : "token's";
            auth.count(IngressProtocol.MQTT, "user_name_mismatch");
            LOG.info("region {}: MQTT client {} refused: user name '{}' is not the {} principal {}", auth.region(),
                    clientId, userName.get(), credential, principal);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, certificate != null
                    ? "the user name must be the client certificate's principal, or be left out"
                    : "the user name must be the token's principal (sub), or be left out");
            return;
        }
        ConnectionAttributeStore connection = input.getConnectionInformation().getConnectionAttributeStore();
        try {
            wills.authorise(connection, clientId, access);
        } catch (Refusal refusal) {
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, refusal.describe());
            return;
        }
        if (claims != null) {
            connection.putAsString(CLAIMS, claims.toString());
        } else {
            connection.putAsString(CERTIFIED, certificate.getNotAfter().toInstant().toEpochMilli() + " " + principal);
        }
        expiry.watch(clientId, connection, access);
        if (!input.getConnectPacket().getCleanStart()) {
            revocations.resumed(clientId, connection, input.getConnectionInformation().getMqttVersion(), access);
        }
        output.authenticateSuccessfully();
    }

    /** The access of the client whose connection this is; refused everything if it never authenticated. */
    static Access access(EdgeAuth auth, ConnectionAttributeStore connection) {
        Optional<String> claims = connection.getAsString(CLAIMS);
        if (claims.isPresent()) {
            return auth.access(IngressProtocol.MQTT, claims.get());
        }
        return connection.getAsString(CERTIFIED).map(certified -> {
            int space = certified.indexOf(' ');
            return auth.certified(IngressProtocol.MQTT, certified.substring(space + 1),
                    Instant.ofEpochMilli(Long.parseLong(certified.substring(0, space))));
        }).orElseGet(() -> auth.anonymous(IngressProtocol.MQTT));
    }

    private static String text(ByteBuffer password) {
        return StandardCharsets.UTF_8.decode(password.duplicate()).toString();
    }
}
