package io.meshwork.edge.mqtt;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Real Paho clients (MQTT 5 and 3.1.1) that record each message with its RETAIN flag. */
final class RetainFlagClients {

    static final long WAIT_MS = 20_000;

    /** A received message: payload and RETAIN flag. */
    record Message(String payload, boolean retained) {
    }

    private RetainFlagClients() {
    }

    /** An MQTT 5 client with subscription options. */
    static final class V5 implements org.eclipse.paho.mqttv5.client.MqttCallback, AutoCloseable {
        private final MqttAsyncClient client;
        final List<Message> messages = new CopyOnWriteArrayList<>();

        V5(int port, String clientId) throws MqttException {
            client = new MqttAsyncClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
            client.setCallback(this);
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            client.connect(options).waitForCompletion(WAIT_MS);
        }

        /** Subscribes at QoS 1 with a retain handling (0, 1, 2) and retain-as-published; waits for the SUBACK. */
        void subscribe(String filter, int retainHandling, boolean retainAsPublished) throws MqttException {
            MqttSubscription subscription = new MqttSubscription(filter, 1);
            subscription.setRetainHandling(retainHandling);
            subscription.setRetainAsPublished(retainAsPublished);
            client.subscribe(new MqttSubscription[] {subscription}, null, null, new MqttProperties()).waitForCompletion(WAIT_MS);
        }

        /** Publishes at QoS 1 and returns the PUBACK's token (its reason codes), even for a refusal. */
        IMqttToken publish(String topic, String payload, boolean retained) throws MqttException {
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            message.setRetained(retained);
            IMqttToken token = client.publish(topic, message);
            try {
                token.waitForCompletion(WAIT_MS);
            } catch (MqttException e) {
                if (!token.isComplete()) {
                    throw e;
                }
            }
            return token;
        }

        Message await(String payload) {
            return awaitIn(messages, payload);
        }

        /** The first message received within {@code wait}, or null: a probe that may be early and is retried. */
        Message firstWithin(Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            return org.awaitility.Awaitility.await().atMost(wait.plusSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> messages.isEmpty() ? null : messages.get(0), m -> m != null || System.nanoTime() > deadline);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new Message(new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
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

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
            client.close();
        }
    }

    /** An MQTT 3.1.1 client. */
    static final class V3 implements MqttCallback, AutoCloseable {
        private final MqttClient client;
        final List<Message> messages = new CopyOnWriteArrayList<>();

        V3(int port, String clientId) throws org.eclipse.paho.client.mqttv3.MqttException {
            this(port, clientId, null, null);
        }

        /** Connects with a QoS 1 will that has the retain flag set, when {@code willTopic} is not null. */
        V3(int port, String clientId, String willTopic, String willPayload) throws org.eclipse.paho.client.mqttv3.MqttException {
            client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            if (willTopic != null) {
                options.setWill(willTopic, willPayload.getBytes(StandardCharsets.UTF_8), 1, true);
            }
            client.connect(options);
        }

        /** Drops the TCP connection without a DISCONNECT, as a crashed device would. */
        void dropConnection() throws org.eclipse.paho.client.mqttv3.MqttException {
            client.disconnectForcibly(0, 1_000, false);
        }

        void subscribe(String filter) throws org.eclipse.paho.client.mqttv3.MqttException {
            client.subscribe(filter, 1);
        }

        /** Publishes at QoS 1 without waiting (a refused PUBLISH closes the connection). */
        void publishNoWait(String topic, String payload, boolean retained) throws org.eclipse.paho.client.mqttv3.MqttException {
            org.eclipse.paho.client.mqttv3.MqttMessage message = new org.eclipse.paho.client.mqttv3.MqttMessage(
                    payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            message.setRetained(retained);
            client.getTopic(topic).publish(message);
        }

        void publish(String topic, String payload, boolean retained) throws org.eclipse.paho.client.mqttv3.MqttException {
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
        }

        boolean isConnected() {
            return client.isConnected();
        }

        Message await(String payload) {
            return awaitIn(messages, payload);
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            messages.add(new Message(new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws org.eclipse.paho.client.mqttv3.MqttException {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    private static Message awaitIn(List<Message> messages, String payload) {
        return await().atMost(Duration.ofMillis(WAIT_MS)).pollInterval(Duration.ofMillis(10))
                .until(() -> messages.stream().filter(m -> m.payload().equals(payload)).findFirst().orElse(null), m -> m != null);
    }
}
