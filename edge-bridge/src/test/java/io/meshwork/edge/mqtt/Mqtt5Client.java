package io.meshwork.edge.mqtt;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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

/** A real MQTT 5 client (Eclipse Paho) recording what it receives. */
final class Mqtt5Client implements MqttCallback, AutoCloseable {

    static final long WAIT_MS = 20_000;

    /** A received PUBLISH. */
    record Received(String topic, String payload, Map<String, String> userProperties, String contentType, int qos) {
    }

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile MqttDisconnectResponse disconnect;
    private MqttProperties connack;
    private boolean closed;

    private Mqtt5Client(String serverUri, String clientId) throws MqttException {
        client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    /** Connects with a clean start and a session that ends with the connection. */
    static Mqtt5Client connect(int port, String clientId) throws MqttException {
        return connect(port, clientId, true, 0);
    }

    /** Connects with the given session settings. */
    static Mqtt5Client connect(int port, String clientId, boolean cleanStart, long sessionExpirySeconds) throws MqttException {
        Mqtt5Client mqtt = new Mqtt5Client("tcp://127.0.0.1:" + port, clientId);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(cleanStart);
        options.setSessionExpiryInterval(sessionExpirySeconds);
        options.setAutomaticReconnect(false);
        IMqttToken connected = mqtt.client.connect(options);
        connected.waitForCompletion(WAIT_MS);
        mqtt.connack = connected.getResponseProperties();
        return mqtt;
    }

    /** Subscribes at QoS 1 and returns the SUBACK's token (reason codes, reason string). */
    IMqttToken subscribe(String... filters) throws MqttException {
        MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subscriptions[i] = new MqttSubscription(filters[i], 1);
        }
        IMqttToken token = client.subscribe(subscriptions, null, null, new MqttProperties());
        waitIgnoringFailure(token);
        return token;
    }

    /** Subscribes to {@code filter} at QoS 1 with SUBSCRIBE user properties and returns the SUBACK's token. */
    IMqttToken subscribe(String filter, Map<String, String> userProperties) throws MqttException {
        MqttProperties properties = new MqttProperties();
        List<UserProperty> user = new ArrayList<>();
        userProperties.forEach((name, value) -> user.add(new UserProperty(name, value)));
        properties.setUserProperties(user);
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, properties);
        waitIgnoringFailure(token);
        return token;
    }

    /** Subscribes to {@code filter} at {@code qos} and waits for the SUBACK. */
    IMqttToken subscribe(int qos, String filter) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, qos)}, null, null, new MqttProperties());
        waitIgnoringFailure(token);
        return token;
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter).waitForCompletion(WAIT_MS);
    }

    /** Publishes and waits for the PUBACK (QoS 1) or the send (QoS 0); returns the token either way. */
    IMqttToken publish(String topic, String payload, int qos, boolean retained, Map<String, String> userProperties,
                       String contentType) throws MqttException {
        MqttMessage message = new MqttMessage(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        message.setQos(qos);
        message.setRetained(retained);
        MqttProperties properties = new MqttProperties();
        List<UserProperty> user = new ArrayList<>();
        userProperties.forEach((name, value) -> user.add(new UserProperty(name, value)));
        properties.setUserProperties(user);
        if (contentType != null) {
            properties.setContentType(contentType);
        }
        message.setProperties(properties);
        IMqttToken token = client.publish(topic, message);
        waitIgnoringFailure(token);
        return token;
    }

    IMqttToken publish(String topic, String payload) throws MqttException {
        return publish(topic, payload, 1, false, Map.of(), null);
    }

    private static void waitIgnoringFailure(IMqttToken token) throws MqttException {
        try {
            token.waitForCompletion(WAIT_MS);
        } catch (MqttException e) {
            if (!token.isComplete()) {
                throw e;
            }
            // A negative acknowledgement: the caller reads the reason codes from the token.
        }
    }

    Received awaitMessage(Predicate<Received> wanted) {
        return await().atMost(Duration.ofMillis(WAIT_MS)).pollInterval(Duration.ofMillis(5))
                .until(() -> received.stream().filter(wanted).findFirst().orElse(null), r -> r != null);
    }

    Received awaitPayload(String payload) {
        return awaitMessage(r -> r.payload().equals(payload));
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<String> payloads() {
        return received.stream().map(Received::payload).toList();
    }

    /** The properties of the server's CONNACK. */
    MqttProperties connack() {
        return connack;
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /** The server's DISCONNECT, if it sent one. */
    MqttDisconnectResponse serverDisconnect() {
        return disconnect;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        MqttProperties props = message.getProperties();
        if (props != null && props.getUserProperties() != null) {
            props.getUserProperties().forEach(p -> properties.put(p.getKey(), p.getValue()));
        }
        received.add(new Received(topic, new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8), properties,
                props == null ? null : props.getContentType(), message.getQos()));
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnect = response;
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
    public synchronized void close() throws MqttException {
        if (closed) {
            return;
        }
        closed = true;
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(WAIT_MS);
        }
        client.close();
    }
}
