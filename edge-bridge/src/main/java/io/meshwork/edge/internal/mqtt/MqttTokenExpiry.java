package io.meshwork.edge.internal.mqtt;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.meshwork.edge.internal.Refusal;
import io.meshwork.edge.internal.auth.Access;
import io.meshwork.edge.internal.auth.TokenExpiry;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Disconnects an MQTT client when the token it connected with expires: MQTT 5 gets DISCONNECT
 * 0xA0 "maximum connect time" (the connection outlived what its credentials allow; a client
 * reconnects with a new token), MQTT 3.1.1, which has no server DISCONNECT, a closed connection.
 * The will is not published: the expired principal may no longer publish ({@link MqttWills}
 * checks it again when the connection ends).
 *
 * <p>HiveMQ disconnects by client id, so each watch belongs to one connection (a key in its
 * attributes): a client that reconnected with a new token replaces its old watch and is never
 * cut by it.
 */
final class MqttTokenExpiry {

    private static final String CONNECTION = "meshwork.token-expiry";

    private record Held(String connection, TokenExpiry.Watch watch) {
    }

    private final String region;
    private final Map<String, Held> watched = new ConcurrentHashMap<>();
    private volatile ClientService clients;

    MqttTokenExpiry(String region) {
        this.region = region;
    }

    /** Called from the extension's start, the only place HiveMQ's services are taken. */
    void bind(ClientService clients) {
        this.clients = clients;
    }

    /** Watches the token of the connection {@code clientId} just authenticated. */
    void watch(String clientId, ConnectionAttributeStore connection, Access access) {
        String key = UUID.randomUUID().toString();
        connection.putAsString(CONNECTION, key);
        Held held = new Held(key, access.untilExpiry("client " + clientId, refusal -> expired(clientId, key, refusal)));
        Held previous = watched.put(clientId, held);
        if (previous != null) {
            previous.watch().cancel();
        }
    }

    /** The connection ended first: its watch is dropped. */
    void ended(String clientId, ConnectionAttributeStore connection) {
        connection.getAsString(CONNECTION).ifPresent(key -> {
            Held held = watched.get(clientId);
            if (held != null && held.connection().equals(key) && watched.remove(clientId, held)) {
                held.watch().cancel();
            }
        });
    }

    private void expired(String clientId, String key, Refusal refusal) {
        Held held = watched.get(clientId);
        if (held == null || !held.connection().equals(key) || !watched.remove(clientId, held) || clients == null) {
            return; // ended, or taken over by a newer connection, meanwhile
        }
        clients.disconnectClient(clientId, true, DisconnectReasonCode.MAXIMUM_CONNECT_TIME, refusal.describe())
                .exceptionally(error -> null); // a client gone by now needs no disconnect
    }

    @Override
    public String toString() {
        return "MQTT token expiry of " + region + " (" + watched.size() + " connections)";
    }
}
