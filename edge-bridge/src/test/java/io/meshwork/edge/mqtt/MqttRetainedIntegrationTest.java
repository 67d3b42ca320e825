package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.mqtt.RetainFlagClients.Message;
import io.meshwork.edge.mqtt.RetainFlagClients.V3;
import io.meshwork.edge.mqtt.RetainFlagClients.V5;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retained messages on one region's edge (MQTT 3.1.1 §3.3.1.3, MQTT 5 §3.3.1.3 and §3.8.3.1), with
 * real Paho clients on a real embedded Kafka cluster: kept in {@code mesh.retained}, served by the
 * broker's own store on subscribe.
 */
@Tag("integration")
@Timeout(120)
class MqttRetainedIntegrationTest {

    private static EdgeOnKafka fixture;
    private static int mqttPort;

    @BeforeAll
    static void startEdge() throws Exception {
        fixture = EdgeOnKafka.start("us-east-1", config -> config.withMqtt(0));
        mqttPort = fixture.edge.port("MQTT").orElseThrow();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRetainedPublishReachesCurrentSubscribersWithoutTheFlagAndLaterOnesWithItUntilReplacedOrDeleted() throws Exception {
        String topic = unique("config") + "/device";
        try (V3 live = new V3(mqttPort, unique("live3")); V3 publisher = new V3(mqttPort, unique("pub3"))) {
            live.subscribe(topic);
            publisher.publish(topic, "v1", true);
            // MQTT-3.3.1-9: a subscription that existed when the PUBLISH arrived gets RETAIN 0.
            assertThat(live.await("v1").retained()).isFalse();

            try (V3 later3 = new V3(mqttPort, unique("later3")); V5 later5 = new V5(mqttPort, unique("later5"))) {
                later3.subscribe(topic);
                later5.subscribe(topic, 0, false);
                // MQTT-3.3.1-8: sent on subscribe with RETAIN 1.
                assertThat(later3.await("v1").retained()).isTrue();
                assertThat(later5.await("v1").retained()).isTrue();
            }

            publisher.publish(topic, "v2", true);
            live.await("v2");
            try (V5 later = new V5(mqttPort, unique("after-replace"))) {
                later.subscribe(topic, 0, false);
                assertThat(later.await("v2").retained()).isTrue();
                assertThat(later.messages).as("one retained message per topic: v2 replaced v1").containsExactly(new Message("v2", true));
            }

            // MQTT-3.3.1-10/11: an empty retained payload is delivered as normal and removes the retained message.
            publisher.publish(topic, "", true);
            live.await("");
            String marker = topic + "/marker";
            publisher.publish(marker, "after-delete", true);
            try (V5 later = new V5(mqttPort, unique("after-delete"))) {
                later.subscribe(topic + "/#", 0, false);
                later.subscribe(topic, 0, false);
                later.await("after-delete");
                assertThat(later.messages).as("the deletion was kept before the marker; nothing left on " + topic)
                        .containsExactly(new Message("after-delete", true));
            }
        }
    }

    @Test
    void retainHandlingDecidesWhetherASubscribeIsServedTheRetainedMessage() throws Exception {
        String topic = unique("handling") + "/state";
        try (V5 publisher = new V5(mqttPort, unique("pub5"));
             V5 always = new V5(mqttPort, unique("rh0"));
             V5 onlyNew = new V5(mqttPort, unique("rh1"));
             V5 never = new V5(mqttPort, unique("rh2"));
             V5 asPublished = new V5(mqttPort, unique("rap"))) {
            publisher.publish(topic, "kept", true);
            // Retain handling 0: sent at every subscribe.
            always.subscribe(topic, 0, false);
            always.await("kept");
            // 1: only when the subscription did not exist yet.
            onlyNew.subscribe(topic, 1, false);
            onlyNew.await("kept");
            // 2: never.
            never.subscribe(topic, 2, false);
            asPublished.subscribe(topic, 0, true);
            assertThat(asPublished.await("kept").retained()).as("served from the store: RETAIN 1").isTrue();

            always.subscribe(topic, 0, false);
            onlyNew.subscribe(topic, 1, false);
            publisher.publish(topic, "live", false);
            always.await("live");
            onlyNew.await("live");
            never.await("live");
            asPublished.await("live");

            assertThat(always.messages).containsExactlyInAnyOrder(new Message("kept", true), new Message("kept", true),
                    new Message("live", false));
            assertThat(onlyNew.messages).containsExactlyInAnyOrder(new Message("kept", true), new Message("live", false));
            assertThat(never.messages).containsExactly(new Message("live", false));
        }
    }

    @Test
    void aLiveCopyOfARetainedPublishKeepsItsRetainFlagOnlyForRetainAsPublishedSubscriptions() throws Exception {
        String topic = unique("rap") + "/state";
        try (V5 publisher = new V5(mqttPort, unique("pub5"));
             V5 asPublished = new V5(mqttPort, unique("rap1"));
             V5 plain = new V5(mqttPort, unique("rap0"))) {
            asPublished.subscribe(topic, 0, true);
            plain.subscribe(topic, 0, false);

            publisher.publish(topic, "retained-live", true);
            publisher.publish(topic, "not-retained", false);

            // MQTT 5 3.3.1.3 / 3.8.3.1: with Retain As Published the RETAIN flag is the one the PUBLISH had.
            assertThat(asPublished.await("retained-live").retained()).isTrue();
            assertThat(asPublished.await("not-retained").retained()).isFalse();
            // Without it, a message forwarded because of an existing subscription has RETAIN 0 (MQTT-3.3.1-12).
            assertThat(plain.await("retained-live").retained()).isFalse();
            assertThat(plain.await("not-retained").retained()).isFalse();
        }
    }

    @Test
    void aWillWithTheRetainFlagIsKeptAsTheTopicsRetainedMessageWhenItIsDue() throws Exception {
        String topic = unique("status") + "/device";
        V3 device = new V3(mqttPort, unique("device"), topic, "offline");
        try (V3 online = new V3(mqttPort, unique("online")); V5 live = new V5(mqttPort, unique("live5"))) {
            live.subscribe(topic, 0, false);
            online.publish(topic, "online", true);
            live.await("online");

            device.dropConnection();
            live.await("offline");
            // A will has no acknowledgement: its retained copy reaches the broker's store through
            // mesh.retained some time after the live copy. Probe (briefly each time) until it is served.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (V5 probe = new V5(mqttPort, unique("probe"))) {
                    probe.subscribe(topic, 0, false);
                    return new Message("offline", true).equals(probe.firstWithin(Duration.ofSeconds(2)));
                }
            });
        } finally {
            device.close();
        }
    }

    @Test
    void eventsFromOtherProtocolsAreNeverRetained() throws Exception {
        String prefix = unique("http");
        assertThat(fixture.publisher.publishOn(prefix + "/from-http", "evt-" + UUID.randomUUID(), "{\"a\":1}").statusCode()).isEqualTo(202);
        try (V5 publisher = new V5(mqttPort, unique("pub5")); V5 later = new V5(mqttPort, unique("sub5"))) {
            publisher.publish(prefix + "/from-mqtt", "marker", true);
            // The retained copy reaches the broker's store through mesh.retained, some time after the
            // publish (longer on a loaded machine): subscribe once a probe is served it.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (V5 probe = new V5(mqttPort, unique("probe"))) {
                    probe.subscribe(prefix + "/from-mqtt", 0, false);
                    return new Message("marker", true).equals(probe.firstWithin(Duration.ofSeconds(2)));
                }
            });
            later.subscribe(prefix + "/#", 0, false);
            later.await("marker");
            assertThat(later.messages).containsExactly(new Message("marker", true));
        }
    }
}
