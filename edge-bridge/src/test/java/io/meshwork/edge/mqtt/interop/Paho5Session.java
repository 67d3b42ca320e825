package io.meshwork.edge.mqtt.interop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** One MQTT 5 connection of a real client (Eclipse Paho), recording every PUBLISH it gets. */
final class Paho5Session implements MqttCallback, AutoCloseable {

    /** A PUBLISH as the subscriber saw it, with its properties. */
    record Message(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties) {
        List<UserProperty> userProperties() {
            return properties == null || properties.getUserProperties() == null ? List.of() : properties.getUserProperties();
        }

        @Override
        public String toString() {
            return topic + " qos " + qos + (retained ? " retained" : "") + " "
                    + userProperties().stream().map(p -> p.getKey() + "=" + p.getValue()).toList()
                    + " '" + new String(payload, java.nio.charset.StandardCharsets.UTF_8) + "'";
        }
    }

    private final MqttAsyncClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final long waitMs;
    private IMqttToken connected;

    private Paho5Session(BrokerAddress address, String clientId, Duration wait) throws MqttException {
        client = new MqttAsyncClient(address.uri(), clientId, new MemoryPersistence());
        client.setCallback(this);
        waitMs = wait.toMillis();
    }

    /**
     * Connects; {@code settings} adjusts the options (clean start is true, session expiry 0, no
     * automatic reconnect and no client-assigned subscription identifiers until changed).
     */
    static Paho5Session connect(BrokerAddress address, String clientId, Duration wait, Consumer<MqttConnectionOptions> settings)
            throws MqttException {
        Paho5Session session = new Paho5Session(address, clientId, wait);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        options.setUseSubscriptionIdentifiers(false);
        settings.accept(options);
        try {
            session.connected = session.client.connect(options);
            session.connected.waitForCompletion(session.waitMs);
        } catch (MqttException e) {
            session.client.close();
            throw e;
        }
        return session;
    }

    static Paho5Session connect(BrokerAddress address, String clientId, Duration wait) throws MqttException {
        return connect(address, clientId, wait, options -> { });
    }

    boolean sessionPresent() {
        return connected.getSessionPresent();
    }

    MqttProperties connackProperties() {
        return connected.getResponseProperties();
    }

    /** Subscribes and returns the SUBACK reason codes. */
    int[] subscribe(MqttProperties properties, MqttSubscription... subscriptions) throws MqttException {
        IMqttToken token = client.subscribe(subscriptions, null, null, properties);
        try {
            token.waitForCompletion(waitMs);
        } catch (MqttException e) {
            if (!token.isComplete()) {
                throw e;
            }
        }
        return token.getReasonCodes();
    }

    int[] subscribe(String filter, int qos) throws MqttException {
        return subscribe(new MqttProperties(), new MqttSubscription(filter, qos));
    }

    /** Publishes and waits until the QoS flow is complete (QoS 0: sent). */
    void publish(String topic, byte[] payload, int qos, boolean retained, MqttProperties properties) throws MqttException {
        MqttMessage message = new MqttMessage(payload, qos, retained, properties);
        client.publish(topic, message).waitForCompletion(waitMs);
    }

    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained, new MqttProperties());
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter).waitForCompletion(waitMs);
    }

    /** Sends DISCONNECT with these properties (e.g. a new session expiry) and releases the client. */
    void disconnect(MqttProperties properties) throws MqttException {
        try {
            client.disconnect(waitMs, null, null, 0, properties).waitForCompletion(waitMs);
        } finally {
            client.close();
        }
    }

    List<Message> received() {
        return List.copyOf(received);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Message(topic, message.getPayload(), message.getQos(), message.isRetained(), message.getProperties()));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
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

    /** Disconnects cleanly if still connected and releases the client. */
    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(waitMs);
            }
        } finally {
            client.close();
        }
    }
}
