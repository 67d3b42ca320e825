package io.meshwork.edge.mqtt;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A real MQTT 5 client (Eclipse Paho) whose session outlives its connections: it connects with a
 * session expiry, can go away and come back, and can hold its PUBACKs back so that the server
 * must redeliver.
 */
public final class Mqtt5Session implements MqttCallback, AutoCloseable {

    /** A received PUBLISH. */
    public record Received(String topic, String payload, int qos, boolean duplicate) {
    }

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile MqttDisconnectResponse serverDisconnect;

    public Mqtt5Session(int port, String clientId) throws MqttException {
        client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    /** Connects and returns the CONNACK's session-present flag. */
    public boolean connect(boolean cleanStart, long sessionExpirySeconds) throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpirySeconds);
        options.setAutomaticReconnect(false);
        serverDisconnect = null;
        IMqttToken token = client.connect(options);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token.getSessionPresent();
    }

    /** Holds back every PUBACK from now on (true) or acknowledges as messages arrive (false). */
    public void holdAcks(boolean hold) {
        client.setManualAcks(hold);
    }

    /** Subscribes each filter at {@code qos}; returns the SUBACK's reason codes. */
    public int[] subscribe(int qos, String... filters) throws MqttException {
        MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subscriptions[i] = new MqttSubscription(filters[i], qos);
        }
        IMqttToken token = client.subscribe(subscriptions, null, null, new MqttProperties());
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token.getReasonCodes();
    }

    /** Publishes and waits for the PUBACK (QoS 1) or the send (QoS 0). */
    public void publish(String topic, String payload, int qos) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        client.publish(topic, message).waitForCompletion(Mqtt5Client.WAIT_MS);
    }

    /** Sends a DISCONNECT (reason 0); the session stays on the server for its expiry. */
    public void disconnect() throws MqttException {
        client.disconnect(0).waitForCompletion(Mqtt5Client.WAIT_MS);
    }

    /** Sends a DISCONNECT that sets the session expiry interval to {@code seconds} (MQTT 5 section 3.14.2.2.2). */
    public void disconnectWithSessionExpiry(long seconds) throws MqttException {
        MqttProperties properties = new MqttProperties();
        properties.setSessionExpiryInterval(seconds);
        client.disconnect(0, null, null, 0, properties).waitForCompletion(Mqtt5Client.WAIT_MS);
    }

    public List<Received> awaitReceived(int count) {
        return await().atMost(Duration.ofMillis(Mqtt5Client.WAIT_MS)).pollInterval(Duration.ofMillis(10))
                .until(() -> List.copyOf(received), all -> all.size() >= count);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<String> payloads() {
        return received.stream().map(Received::payload).toList();
    }

    public void clear() {
        received.clear();
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** The server's DISCONNECT, if it sent one since the last connect. */
    public MqttDisconnectResponse serverDisconnect() {
        return serverDisconnect;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                message.isDuplicate()));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        serverDisconnect = response;
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(Mqtt5Client.WAIT_MS);
        }
        client.close();
    }
}
