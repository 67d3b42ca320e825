package io.meshwork.edge.mqtt;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A real MQTT 3.1.1 client (Eclipse Paho) whose session outlives its connections: it connects
 * with clean session false, can go away and come back, and can hold its PUBACKs back (as the
 * interoperability suite's "paused" client does) so that the server must redeliver.
 */
public final class Mqtt3Session implements MqttCallback, AutoCloseable {

    /** A received PUBLISH. */
    public record Received(String topic, String payload, int qos, boolean duplicate, int messageId) {
    }

    private final MqttAsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public Mqtt3Session(int port, String clientId) throws MqttException {
        client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    /**
     * Connects; {@code cleanSession} false keeps (or resumes) the server's session for this
     * client id. Returns the CONNACK's session-present flag.
     */
    public boolean connect(boolean cleanSession) throws MqttException {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        IMqttToken token = client.connect(options);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token.getSessionPresent();
    }

    /** Holds back every PUBACK from now on (true) or acknowledges as messages arrive (false). */
    public void holdAcks(boolean hold) {
        client.setManualAcks(hold);
    }

    /** Subscribes each filter at {@code qos} and returns the granted QoS per filter (0x80 = failure). */
    public int[] subscribe(int qos, String... filters) throws MqttException {
        int[] wanted = new int[filters.length];
        java.util.Arrays.fill(wanted, qos);
        IMqttToken token = client.subscribe(filters, wanted);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token.getGrantedQos();
    }

    /** Publishes and waits for the PUBACK (QoS 1) or the send (QoS 0). */
    public void publish(String topic, String payload, int qos) throws MqttException {
        IMqttDeliveryToken token = client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
    }

    /** Sends a DISCONNECT; the session stays on the server. */
    public void disconnect() throws MqttException {
        client.disconnect(0).waitForCompletion(Mqtt5Client.WAIT_MS);
    }

    /** Drops the TCP connection without a DISCONNECT. */
    public void dropConnection() throws MqttException {
        client.disconnectForcibly(0, 1_000, false);
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

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                message.isDuplicate(), message.getId()));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect().waitForCompletion(Mqtt5Client.WAIT_MS);
        }
        client.close();
    }
}
