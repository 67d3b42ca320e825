package io.meshwork.launcher.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.SharedMesh;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 5 request/response (MQTT 5 section 4.10) between the edges of two regions of the embedded
 * mesh: the request's response topic, correlation data and user properties reach a responder in
 * ap-southeast-1 as sent, and its answer finds the requester in us-east-1.
 */
@Tag("integration")
@Timeout(300)
class MqttAcrossRegionsIntegrationTest {

    private static final long WAIT_MS = 60_000;

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static EmbeddedMesh mesh;
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = SHARED.mesh();
    }

    @AfterEach
    void closeClients() throws MqttException {
        for (MqttAsyncClient client : clients) {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(WAIT_MS);
            }
            client.close();
        }
    }

    /** A connected MQTT 5 client whose every received message goes to {@code onMessage}. */
    private MqttAsyncClient connect(String region, String clientId, BiConsumer<String, MqttMessage> onMessage) throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(mesh.region(region).mqttUri(), clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                onMessage.accept(topic, message);
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
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options).waitForCompletion(WAIT_MS);
        clients.add(client);
        return client;
    }

    @Test
    void aResponderInAnotherRegionAnswersOnTheResponseTopicWithTheCorrelationData() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String requests = "rpc-" + id + "/requests";
        String replies = "rpc-" + id + "/replies/requester";
        List<MqttMessage> seenByResponder = new CopyOnWriteArrayList<>();
        List<MqttMessage> replied = new CopyOnWriteArrayList<>();

        MqttAsyncClient[] responder = new MqttAsyncClient[1];
        responder[0] = connect("ap-southeast-1", "responder-" + id, (topic, request) -> {
            seenByResponder.add(request);
            MqttProperties answer = new MqttProperties();
            answer.setCorrelationData(request.getProperties().getCorrelationData());
            try {
                // Not awaited: this is Paho's callback thread, which completes the publish.
                responder[0].publish(request.getProperties().getResponseTopic(),
                        new MqttMessage(("re: " + new String(request.getPayload(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8),
                                1, false, answer));
            } catch (MqttException e) {
                throw new IllegalStateException(e);
            }
        });
        // The embedded edges hold the SUBACK until every region routes for the subscription.
        responder[0].subscribe(requests, 1).waitForCompletion(WAIT_MS);
        MqttAsyncClient requester = connect("us-east-1", "requester-" + id, (topic, reply) -> replied.add(reply));
        requester.subscribe(replies, 1).waitForCompletion(WAIT_MS);

        MqttProperties request = new MqttProperties();
        request.setResponseTopic(replies);
        request.setCorrelationData(new byte[] {42, 0, (byte) 0x80});
        request.setContentType("text/plain");
        request.setPayloadFormat(true);
        request.setMessageExpiryInterval(120L);
        request.setUserProperties(List.of(new UserProperty("op", "sum"), new UserProperty("arg", "1"), new UserProperty("arg", "2")));
        requester.publish(requests, new MqttMessage("1+2".getBytes(StandardCharsets.UTF_8), 1, false, request)).waitForCompletion(WAIT_MS);

        await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> !replied.isEmpty());
        MqttProperties received = seenByResponder.get(0).getProperties();
        assertThat(received.getUserProperties())
                .containsExactly(new UserProperty("op", "sum"), new UserProperty("arg", "1"), new UserProperty("arg", "2"));
        assertThat(received.getResponseTopic()).isEqualTo(replies);
        assertThat(received.getCorrelationData()).containsExactly(42, 0, 0x80);
        assertThat(received.getContentType()).isEqualTo("text/plain");
        assertThat(received.getPayloadFormat()).isTrue();
        assertThat(received.getMessageExpiryInterval()).isBetween(60L, 120L);
        MqttMessage reply = replied.get(0);
        assertThat(new String(reply.getPayload(), StandardCharsets.UTF_8)).isEqualTo("re: 1+2");
        assertThat(reply.getProperties().getCorrelationData()).containsExactly(42, 0, 0x80);
        assertThat(reply.getProperties().getUserProperties()).isEmpty();
    }

    @Test
    void messagesSpooledWhileARegionIsCutOffExpireThereAndTheOthersArriveWithLessTimeLeft() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "expiry-" + id + "/alerts";
        List<MqttMessage> received = new CopyOnWriteArrayList<>();
        MqttAsyncClient subscriber = connect("ap-southeast-1", "far-" + id, (t, message) -> received.add(message));
        subscriber.subscribe(topic, 1).waitForCompletion(WAIT_MS);
        MqttAsyncClient publisher = connect("us-east-1", "near-" + id, (t, message) -> { });

        mesh.wan().cut("us-east-1", "ap-southeast-1");
        mesh.wan().cut("eu-west-1", "ap-southeast-1");
        long published;
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> mesh.router("us-east-1").nextHop("ap-southeast-1").isEmpty());
            for (var expiry : List.of(2L, 600L)) {
                MqttProperties properties = new MqttProperties();
                properties.setMessageExpiryInterval(expiry);
                publisher.publish(topic, new MqttMessage(("expires-in-" + expiry).getBytes(StandardCharsets.UTF_8), 1, false, properties))
                        .waitForCompletion(WAIT_MS);
            }
            published = System.currentTimeMillis();
            // Both wait in us-east-1's spool towards ap-southeast-1 for longer than the first one may live.
            await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() - published > 3_100);
        } finally {
            mesh.wan().heal("us-east-1", "ap-southeast-1");
            mesh.wan().heal("eu-west-1", "ap-southeast-1");
        }

        await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> !received.isEmpty());
        MqttMessage arrived = received.get(0);
        // Same topic, so same order: had the expired one been delivered, it would have come first.
        assertThat(new String(arrived.getPayload(), StandardCharsets.UTF_8)).isEqualTo("expires-in-600");
        assertThat(arrived.getProperties().getMessageExpiryInterval()).isBetween(1L, 597L);
        assertThat(received).hasSize(1);
    }
}
