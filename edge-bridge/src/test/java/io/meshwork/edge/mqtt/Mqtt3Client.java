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

/** A real MQTT 3.1.1 client (Eclipse Paho) recording what it receives. */
final class Mqtt3Client implements MqttCallback, AutoCloseable {

    private final MqttAsyncClient client;
    private final List<String> payloads = new CopyOnWriteArrayList<>();
    private final List<String> topics = new CopyOnWriteArrayList<>();
    private final List<Integer> qos = new CopyOnWriteArrayList<>();
    private volatile Throwable connectionLost;

    private Mqtt3Client(String serverUri, String clientId) throws MqttException {
        client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    /** Connects with a clean session. */
    static Mqtt3Client connect(int port, String clientId) throws MqttException {
        return connect(port, clientId, null, null);
    }

    /** Connects with a clean session and a QoS 1 last will on {@code willTopic}. */
    static Mqtt3Client connect(int port, String clientId, String willTopic, String willPayload) throws MqttException {
        Mqtt3Client mqtt = new Mqtt3Client("tcp://127.0.0.1:" + port, clientId);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        if (willTopic != null) {
            options.setWill(willTopic, willPayload.getBytes(StandardCharsets.UTF_8), 1, false);
        }
        mqtt.client.connect(options).waitForCompletion(Mqtt5Client.WAIT_MS);
        return mqtt;
    }

    /** Drops the TCP connection without a DISCONNECT, as a crashed device would. */
    void dropConnection() throws MqttException {
        client.disconnectForcibly(0, 1_000, false);
    }

    /** Subscribes at QoS 1 and returns the granted QoS per filter (0x80 = failure). */
    int[] subscribe(String... filters) throws MqttException {
        int[] qos = new int[filters.length];
        java.util.Arrays.fill(qos, 1);
        IMqttToken token = client.subscribe(filters, qos);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token.getGrantedQos();
    }

    /** Subscribes to {@code filter} at {@code qos} and returns the granted QoS (0x80 = failure). */
    int subscribe(int qos, String filter) throws MqttException {
        IMqttToken token = client.subscribe(filter, qos);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token.getGrantedQos()[0];
    }

    /** The QoS of each received message, in arrival order (beside {@link #payloads()}). */
    List<Integer> qos() {
        return List.copyOf(qos);
    }

    /** Publishes and waits for the PUBACK (QoS 1) or the send (QoS 0). */
    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        IMqttDeliveryToken token = client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
    }

    /** Publishes without waiting for anything. */
    void publishNoWait(String topic, String payload, int qos, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
    }

    String awaitPayload(String payload) {
        return await().atMost(Duration.ofMillis(Mqtt5Client.WAIT_MS)).pollInterval(Duration.ofMillis(5))
                .until(() -> payloads.contains(payload) ? payload : null, p -> p != null);
    }

    List<String> payloads() {
        return List.copyOf(payloads);
    }

    List<String> topics() {
        return List.copyOf(topics);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    Throwable connectionLost() {
        return connectionLost;
    }

    @Override
    public void connectionLost(Throwable cause) {
        connectionLost = cause;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        topics.add(topic);
        qos.add(message.getQos());
        payloads.add(new String(message.getPayload(), StandardCharsets.UTF_8));
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
