package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationFailedInput;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.interceptor.disconnect.DisconnectInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.disconnect.parameter.DisconnectInboundInput;
import com.hivemq.extension.sdk.api.interceptor.disconnect.parameter.DisconnectInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the interest of MQTT sessions as HiveMQ ends the sessions: a session with expiry 0 (MQTT
 * 3.1.1 clean session, MQTT 5 default) when its connection closes; a persistent one when its
 * expiry interval has passed without a reconnect (meanwhile HiveMQ queues its QoS 1 events, so
 * the mesh must keep delivering them); any old session when a client connects with clean start.
 * An MQTT 5 DISCONNECT may change the expiry, as the protocol allows.
 *
 * <p>A client id may reconnect before its old connection's close is reported (session takeover),
 * so each connection carries a token and only the client's newest connection may end the session.
 *
 * <p>It also tells {@link MqttWills} how each connection ended: any way but a normal DISCONNECT
 * makes the will due (MQTT 3.1.2.5 / 5 section 3.1.2.5); a reconnect cancels a delayed will.
 */
final class MqttSessions implements ClientLifecycleEventListener, DisconnectInboundInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSessions.class);
    private static final String TOKEN = "meshwork.connection";
    private static final String EXPIRY = "meshwork.session-expiry";
    /** MQTT 5 section 3.1.2.11.2: this expiry interval means the session never expires. */
    private static final long NEVER = 0xFFFF_FFFFL;

    private final MqttInterest interest;
    private final MqttGroupMembers groupMembers;
    private final MqttWills wills;
    private final MqttTokenExpiry tokenExpiry;
    private final MqttRevocations revocations;
    private final ScheduledExecutorService timer;
    private final String region;
    private final Map<String, String> newestConnection = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> expiries = new HashMap<>();

    MqttSessions(MqttInterest interest, MqttGroupMembers groupMembers, MqttWills wills, ScheduledExecutorService timer, String region,
                 MqttTokenExpiry tokenExpiry, MqttRevocations revocations) {
        this.tokenExpiry = tokenExpiry;
        this.revocations = revocations;
        this.interest = interest;
        this.groupMembers = groupMembers;
        this.wills = wills;
        this.timer = timer;
        this.region = region;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        String clientId = input.getClientInformation().getClientId();
        ConnectPacket connect = input.getConnectPacket();
        ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
        String token = UUID.randomUUID().toString();
        attributes.putAsString(TOKEN, token);
        attributes.putAsString(EXPIRY, Long.toString(connect.getSessionExpiryInterval()));
        synchronized (this) {
            newestConnection.put(clientId, token);
            cancelExpiry(clientId);
        }
        wills.cancel(clientId);
        if (connect.getCleanStart()) {
            interest.removeSession(clientId);
            revocations.sessionCleared(clientId);
        }
        groupMembers.connected(clientId, connect.getCleanStart());
        LOG.debug("region {}: MQTT client {} connecting ({}, clean start {}, session expiry {} s)", region, clientId,
                connect.getMqttVersion(), connect.getCleanStart(), connect.getSessionExpiryInterval());
    }

    /** The session expiry interval (seconds) the connection with these attributes has now; 0 before it started. */
    static long sessionExpiry(ConnectionAttributeStore attributes) {
        return attributes.getAsString(EXPIRY).map(Long::parseLong).orElse(0L);
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        LOG.debug("region {}: MQTT client {} connected from {}", region, input.getClientInformation().getClientId(),
                input.getConnectionInformation().getInetAddress().map(Object::toString).orElse("?"));
    }

    @Override
    public void onInboundDisconnect(DisconnectInboundInput input, DisconnectInboundOutput output) {
        input.getDisconnectPacket().getSessionExpiryInterval().ifPresent(expiry -> input.getConnectionInformation()
                .getConnectionAttributeStore().putAsString(EXPIRY, Long.toString(expiry)));
    }

    @Override
    public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
        ended(input, input.getReasonCode().filter(code -> code == DisconnectedReasonCode.DISCONNECT_WITH_WILL_MESSAGE).isPresent());
    }

    @Override
    public void onAuthenticationFailedDisconnect(AuthenticationFailedInput input) {
        ended(input, false);
    }

    @Override
    public void onConnectionLost(ConnectionLostInput input) {
        ended(input, true);
    }

    /** Server-initiated disconnects, and any other end HiveMQ reports: the will is due. */
    @Override
    public void onDisconnect(DisconnectEventInput input) {
        ended(input, true);
    }

    private void ended(DisconnectEventInput input, boolean willDue) {
        String clientId = input.getClientInformation().getClientId();
        ConnectionAttributeStore attributes = input.getConnectionInformation().getConnectionAttributeStore();
        String token = attributes.getAsString(TOKEN).orElse(null);
        long expiry = attributes.getAsString(EXPIRY).map(Long::parseLong).orElse(0L);
        tokenExpiry.ended(clientId, attributes);
        revocations.ended(clientId, attributes);
        if (willDue) {
            wills.connectionEnded(attributes, clientId, expiry);
        } else {
            wills.discard(attributes);
        }
        LOG.debug("region {}: MQTT client {} disconnected ({})", region, clientId,
                input.getReasonString().or(() -> input.getReasonCode().map(Object::toString)).orElse("connection closed"));
        synchronized (this) {
            if (token == null || !token.equals(newestConnection.get(clientId))) {
                return; // a newer connection has taken the session over
            }
            newestConnection.remove(clientId);
            // Consumer groups give events to connected members only; the session keeps the subscription.
            groupMembers.connectionEnded(clientId);
            if (expiry >= NEVER) {
                return;
            }
            if (expiry > 0) {
                expiries.put(clientId, timer.schedule(() -> expire(clientId), expiry, TimeUnit.SECONDS));
                return;
            }
        }
        interest.removeSession(clientId);
    }

    /**
     * A session restored from the data directory whose client is not connected: its interest is
     * withdrawn once {@code expirySeconds} pass without a connection, as for a session that ended here.
     */
    void restoredOffline(String clientId, long expirySeconds) {
        if (expirySeconds >= NEVER) {
            return;
        }
        synchronized (this) {
            if (!newestConnection.containsKey(clientId) && !expiries.containsKey(clientId)) {
                expiries.put(clientId, timer.schedule(() -> expire(clientId), expirySeconds, TimeUnit.SECONDS));
            }
        }
    }

    private void expire(String clientId) {
        synchronized (this) {
            if (newestConnection.containsKey(clientId) || expiries.remove(clientId) == null) {
                return; // reconnected meanwhile
            }
        }
        interest.removeSession(clientId);
        LOG.debug("region {}: MQTT session {} expired", region, clientId);
    }

    private void cancelExpiry(String clientId) {
        ScheduledFuture<?> expiry = expiries.remove(clientId);
        if (expiry != null) {
            expiry.cancel(false);
        }
    }
}
