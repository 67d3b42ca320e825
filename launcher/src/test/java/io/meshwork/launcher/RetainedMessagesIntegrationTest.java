package io.meshwork.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT retained messages across the embedded three-region mesh, with real Paho clients (v5
 * publishers, v3 and v5 subscribers): each region's {@code mesh.retained} gets every region's
 * retained messages through the links' retained relay, and its edge serves them on subscribe.
 */
@Tag("integration")
@Timeout(400)
class RetainedMessagesIntegrationTest {

    private static final String US = "us-east-1";
    private static final String EU = "eu-west-1";
    private static final String AP = "ap-southeast-1";
    private static final Duration SPREAD = Duration.ofSeconds(60);

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static EmbeddedMesh mesh;

    /** What a fresh subscriber received: payload and RETAIN flag. */
    record Message(String payload, boolean retained) {
    }

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = SHARED.mesh();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aSubscriberInApSoutheastThatSubscribesAfterARetainedPublishInUsEastGetsItUntilReplacedOrDeletedEverywhere() throws Exception {
        String topic = unique("retained") + "/config";
        assertThat(publishRetained(US, topic, "v1")).isZero();
        awaitServed(AP, topic, List.of(new Message("v1", true)));

        // A later retained publish, from another region, replaces it everywhere.
        assertThat(publishRetained(EU, topic, "v2")).isZero();
        for (String region : List.of(AP, US, EU)) {
            awaitServed(region, topic, List.of(new Message("v2", true)));
        }

        // An empty payload deletes it everywhere; the marker shows the deletion is in place, not just late.
        assertThat(publishRetained(US, topic, "")).isZero();
        assertThat(publishRetained(US, topic + "/marker", "m")).isZero();
        for (String region : List.of(AP, EU, US)) {
            awaitServed(region, topic + "/#", List.of(new Message("m", true)));
        }
    }

    @Test
    void concurrentRetainedPublishesInTwoRegionsEndWithTheSameWinnerInEveryRegion() throws Exception {
        String topic = unique("race") + "/state";
        Thread other = new Thread(() -> {
            try {
                publishRetained(AP, topic, "from-ap");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.start();
        publishRetained(US, topic, "from-us");
        other.join();
        // Each region serves the newest it has seen; they can only agree on the overall newest.
        await().atMost(SPREAD).pollDelay(Duration.ZERO).until(() -> {
            List<Message> us = servedTo(US, topic);
            return us.size() == 1 && us.equals(servedTo(EU, topic)) && us.equals(servedTo(AP, topic));
        });
        List<Message> winner = servedTo(US, topic);
        assertThat(winner.get(0).payload()).isIn("from-us", "from-ap");
        for (String region : List.of(US, EU, AP)) {
            assertThat(servedTo(region, topic)).as(region).isEqualTo(winner);
        }
    }

    @Test
    void retainedMessagesGoAroundACutLinkAndReachAnIsolatedRegionAfterTheHeal() throws Exception {
        String topic = unique("cut") + "/config";
        try {
            mesh.wan().cut(US, AP);
            assertThat(publishRetained(US, topic, "around")).isZero();
            awaitServed(AP, topic, List.of(new Message("around", true)));

            mesh.wan().cut(EU, AP);
            assertThat(publishRetained(US, topic, "after-heal")).isZero();
            awaitServed(EU, topic, List.of(new Message("after-heal", true)));
            assertThat(servedTo(AP, topic)).as("ap-southeast-1 is cut off").containsExactly(new Message("around", true));

            mesh.wan().heal(US, AP);
            mesh.wan().heal(EU, AP);
            awaitServed(AP, topic, List.of(new Message("after-heal", true)));
        } finally {
            mesh.wan().heal(US, AP);
            mesh.wan().heal(EU, AP);
        }
    }

    private static void awaitServed(String region, String filter, List<Message> expected) {
        await().atMost(SPREAD).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                .until(() -> servedTo(region, filter).equals(expected));
    }

    /** Publishes a retained message at QoS 1 with an MQTT 5 client; returns the PUBACK's reason code. */
    private static int publishRetained(String region, String topic, String payload) throws Exception {
        var client = new org.eclipse.paho.mqttv5.client.MqttClient(mesh.region(region).mqttUri(), unique("pub"), new MemoryPersistence());
        try {
            client.connect(new MqttConnectionOptions());
            MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            message.setRetained(true);
            IMqttToken token = client.getTopic(topic).publish(message);
            token.waitForCompletion(20_000);
            return token.getReasonCodes() == null || token.getReasonCodes().length == 0 ? 0 : token.getReasonCodes()[0];
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    /**
     * What a new MQTT 3.1.1 subscriber in {@code region} is served on subscribing to {@code filter}:
     * the messages that arrive within a second.
     */
    private static List<Message> servedTo(String region, String filter) throws Exception {
        List<Message> received = new CopyOnWriteArrayList<>();
        MqttClient client = new MqttClient(mesh.region(region).mqttUri(), unique("sub"),
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                }

                @Override
                public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                    received.add(new Message(new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            client.connect(options);
            client.subscribe(filter, 1);
            // Retained messages follow the SUBACK at once; a second leaves room for a slow machine.
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            return List.copyOf(received);
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }
}
