package io.meshwork.edge.auth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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

/** Paho MQTT 5 and 3.1.1 clients that connect with a user name and a JWT as password, and read negative acknowledgements. */
final class MqttCredentialClients {

    private MqttCredentialClients() {
    }

    static MqttAsyncClient mqtt5(int port, String userName, String token) throws MqttException {
        return mqtt5(port, userName, token, null);
    }

    /** As {@link #mqtt5(int, String, String)}, with a will on {@code willTopic} unless {@code null}. */
    static MqttAsyncClient mqtt5(int port, String userName, String token, String willTopic) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, "c5-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        if (userName != null) {
            options.setUserName(userName);
        }
        if (token != null) {
            options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        }
        if (willTopic != null) {
            options.setWill(willTopic, new MqttMessage("{}".getBytes(StandardCharsets.UTF_8)));
        }
        try {
            client.connect(options).waitForCompletion(20_000);
            return client;
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
    }

    static IMqttToken subscribe(MqttAsyncClient client, String filter, Map<String, String> userProperties)
            throws MqttException {
        MqttProperties properties = new MqttProperties();
        List<UserProperty> user = new ArrayList<>();
        userProperties.forEach((name, value) -> user.add(new UserProperty(name, value)));
        properties.setUserProperties(user);
        IMqttToken token = client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)}, null, null, properties);
        completed(token);
        return token;
    }

    static IMqttToken publish(MqttAsyncClient client, String topic) throws MqttException {
        MqttMessage message = new MqttMessage("{}".getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        IMqttToken token = client.publish(topic, message);
        completed(token);
        return token;
    }

    // A negative acknowledgement completes the token with an exception; its reason codes are what the test reads.
    private static void completed(IMqttToken token) throws MqttException {
        try {
            token.waitForCompletion(20_000);
        } catch (MqttException e) {
            if (!token.isComplete()) {
                throw e;
            }
        }
    }

    static org.eclipse.paho.client.mqttv3.MqttAsyncClient mqtt3(int port, String userName, String token) throws Exception {
        org.eclipse.paho.client.mqttv3.MqttAsyncClient client = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                "tcp://127.0.0.1:" + port, "c3-" + UUID.randomUUID(), new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions options = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        options.setMqttVersion(org.eclipse.paho.client.mqttv3.MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setAutomaticReconnect(false);
        if (token != null) {
            options.setUserName(userName);
            options.setPassword(token.toCharArray());
        }
        try {
            client.connect(options).waitForCompletion(20_000);
            return client;
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            client.close(true);
            throw e;
        }
    }

    /** Records the topics an MQTT 5 client receives and how the edge disconnected it. */
    record Recorder(List<String> received, CompletableFuture<MqttDisconnectResponse> disconnected) implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnected.complete(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(topic);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
