package io.meshwork.launcher.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.SharedMesh;
import io.meshwork.launcher.RegionEndpoints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QoS 2 across regions on the embedded mesh: Paho 3.1.1 and 5 publishers on us-east-1's edge,
 * QoS 2 subscribers (Paho 3.1.1 and 5) on ap-southeast-1's edge. Each event arrives once, at
 * QoS 2, having crossed the link (MQTT 5 §4.3.3: exactly once delivery to the subscriber).
 */
@Tag("integration")
@Timeout(300)
class MqttQos2AcrossRegionsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    private static EmbeddedMesh mesh;

    /** What a subscriber received: payload and QoS, in arrival order. */
    private record Received(String payload, int qos) {
    }

    @BeforeAll
    static void startMesh() throws Exception {
        mesh = SHARED.mesh();
    }

    @Test
    void qos2SubscribersInAnotherRegionReceiveEveryEventOnceAtQos2() throws Exception {
        RegionEndpoints us = mesh.region("us-east-1");
        RegionEndpoints ap = mesh.region("ap-southeast-1");
        String topic = "qos2/" + UUID.randomUUID().toString().substring(0, 8) + "/reading";
        List<Received> byV5 = new CopyOnWriteArrayList<>();
        List<Received> byV3 = new CopyOnWriteArrayList<>();

        var sub5 = new org.eclipse.paho.mqttv5.client.MqttClient(ap.mqttUri(), "ap-sub5-" + UUID.randomUUID(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        var sub3 = new org.eclipse.paho.client.mqttv3.MqttClient(ap.mqttUri(), "ap-sub3-" + UUID.randomUUID(),
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        var pub5 = new org.eclipse.paho.mqttv5.client.MqttClient(us.mqttUri(), "us-pub5-" + UUID.randomUUID(),
                new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        var pub3 = new org.eclipse.paho.client.mqttv3.MqttClient(us.mqttUri(), "us-pub3-" + UUID.randomUUID(),
                new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        try {
            MqttConnectionOptions options5 = new MqttConnectionOptions();
            options5.setCleanStart(true);
            var options3 = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
            options3.setCleanSession(true);
            sub5.connect(options5);
            sub3.connect(options3);
            pub5.connect(options5);
            pub3.connect(options3);
            // The embedded edges hold the SUBACK until the subscription is active in every region.
            sub5.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 2)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(t, message) ->
                            byV5.add(new Received(new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos()))});
            sub3.subscribe(topic, 2, (t, message) ->
                    byV3.add(new Received(new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos())));

            List<String> payloads = IntStream.range(0, 30).mapToObj(i -> "reading " + i).toList();
            for (int i = 0; i < payloads.size(); i++) {
                byte[] payload = payloads.get(i).getBytes(StandardCharsets.UTF_8);
                if (i % 2 == 0) {
                    var message = new org.eclipse.paho.mqttv5.common.MqttMessage(payload);
                    message.setQos(2);
                    message.setProperties(new MqttProperties());
                    pub5.publish(topic, message); // returns once the PUBCOMP came
                } else {
                    pub3.publish(topic, payload, 2, false);
                }
            }
            var last = new org.eclipse.paho.mqttv5.common.MqttMessage("last".getBytes(StandardCharsets.UTF_8));
            last.setQos(2);
            pub5.publish(topic, last);

            await().atMost(WAIT).until(() -> byV5.stream().anyMatch(r -> r.payload().equals("last"))
                    && byV3.stream().anyMatch(r -> r.payload().equals("last")));
            List<String> expected = Stream.concat(payloads.stream(), Stream.of("last")).toList();
            for (List<Received> received : List.of(byV5, byV3)) {
                // One key (the topic) keeps its order through the link; each event once.
                assertThat(received.stream().map(Received::payload).toList()).containsExactlyElementsOf(expected);
                assertThat(received).allSatisfy(r -> assertThat(r.qos()).isEqualTo(2));
            }
        } finally {
            for (var client : List.of(sub5, pub5)) {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
            for (var client : List.of(sub3, pub3)) {
                if (client.isConnected()) {
                    client.disconnect();
                }
                client.close();
            }
        }
    }
}
