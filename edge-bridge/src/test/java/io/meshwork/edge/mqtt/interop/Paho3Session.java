package io.meshwork.edge.mqtt.interop;

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

/** One MQTT 3.1.1 connection of a real client (Eclipse Paho), recording every PUBLISH it gets. */
final class Paho3Session implements MqttCallback, AutoCloseable {

    /** A PUBLISH as the subscriber saw it. */
    record Message(String topic, String payload, int qos, boolean retained) {
    }

    private final MqttAsyncClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final long waitMs;

    private Paho3Session(BrokerAddress address, String clientId, Duration wait) throws MqttException {
        client = new MqttAsyncClient(address.uri(), clientId, new MemoryPersistence());
        client.setCallback(this);
        waitMs = wait.toMillis();
    }

    static Paho3Session connect(BrokerAddress address, String clientId, boolean cleanSession, Duration wait) throws MqttException {
        Paho3Session session = new Paho3Session(address, clientId, wait);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(100);
        try {
            session.client.connect(options).waitForCompletion(session.waitMs);
        } catch (MqttException e) {
            session.client.close();
            throw e;
        }
        return session;
    }

    /** Subscribes and returns the granted QoS per filter (0x80 = failure). */
    int[] subscribe(String[] filters, int[] qos) throws MqttException {
        IMqttToken token = client.subscribe(filters, qos);
        token.waitForCompletion(waitMs);
        return token.getGrantedQos();
    }

    int[] subscribe(String filter, int qos) throws MqttException {
        return subscribe(new String[] {filter}, new int[] {qos});
    }

    /** Publishes and waits until the QoS flow is complete (QoS 0: sent). */
    void publish(String topic, String payload, int qos, boolean retained) throws MqttException {
        IMqttDeliveryToken token = client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retained);
        token.waitForCompletion(waitMs);
    }

    void unsubscribe(String filter) throws MqttException {
        client.unsubscribe(filter).waitForCompletion(waitMs);
    }

    List<Message> received() {
        return List.copyOf(received);
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Message(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(), message.isRetained()));
    }

    @Override
    public void connectionLost(Throwable cause) {
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    /** Disconnects cleanly (a DISCONNECT packet) and releases the client. */
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
