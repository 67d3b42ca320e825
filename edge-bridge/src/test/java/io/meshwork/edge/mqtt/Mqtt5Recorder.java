package io.meshwork.edge.mqtt;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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

/**
 * A real MQTT 5 client (Eclipse Paho) that keeps every received message whole, properties and
 * all, for tests of what MQTT 5 properties survive the mesh; connection options are the test's.
 */
final class Mqtt5Recorder implements MqttCallback, AutoCloseable {

    /** A received PUBLISH, exactly as Paho decoded it. */
    record Message(String topic, MqttMessage message) {
        String payload() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }

        MqttProperties properties() {
            return message.getProperties();
        }
    }

    private final MqttAsyncClient client;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private volatile MqttDisconnectResponse disconnect;
    private boolean closed;

    private Mqtt5Recorder(int port, String clientId) throws MqttException {
        client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        client.setCallback(this);
    }

    static Mqtt5Recorder connect(int port, String clientId) throws MqttException {
        return connect(port, clientId, options -> { });
    }

    /** Connects with a clean start, no automatic reconnect, and whatever else {@code settings} sets. */
    static Mqtt5Recorder connect(int port, String clientId, Consumer<MqttConnectionOptions> settings) throws MqttException {
        Mqtt5Recorder recorder = new Mqtt5Recorder(port, clientId);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        settings.accept(options);
        recorder.client.connect(options).waitForCompletion(Mqtt5Client.WAIT_MS);
        return recorder;
    }

    MqttAsyncClient client() {
        return client;
    }

    /** Subscribes and waits for the SUBACK. */
    IMqttToken subscribe(MqttSubscription subscription, MqttProperties properties) throws MqttException {
        IMqttToken token = client.subscribe(new MqttSubscription[] {subscription}, null, null, properties);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token;
    }

    IMqttToken subscribe(String filter) throws MqttException {
        return subscribe(new MqttSubscription(filter, 1), new MqttProperties());
    }

    /** Publishes and waits for the PUBACK (QoS 1). */
    IMqttToken publish(String topic, MqttMessage message) throws MqttException {
        IMqttToken token = client.publish(topic, message);
        token.waitForCompletion(Mqtt5Client.WAIT_MS);
        return token;
    }

    Message awaitPayload(String payload) {
        return await().atMost(Duration.ofMillis(Mqtt5Client.WAIT_MS)).pollInterval(Duration.ofMillis(5))
                .until(() -> received.stream().filter(m -> m.payload().equals(payload)).findFirst().orElse(null), m -> m != null);
    }

    List<String> payloads() {
        return received.stream().map(Message::payload).toList();
    }

    boolean isConnected() {
        return client.isConnected();
    }

    MqttDisconnectResponse serverDisconnect() {
        return disconnect;
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        received.add(new Message(topic, message));
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
            client.disconnect().waitForCompletion(Mqtt5Client.WAIT_MS);
        }
        client.close();
    }
}
