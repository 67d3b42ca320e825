package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeBridge;
import io.meshwork.edge.EdgeConfig;
import io.meshwork.edge.EdgeOnKafka;
import io.meshwork.edge.MqttSessionSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Persistent MQTT sessions on one region's edge, with real Paho v3 and v5 clients, modelled on the
 * Paho interoperability suite's "offline message queueing" and "redelivery on reconnect" cases:
 * every event still goes through {@code mesh.events} and back into the broker's session queue.
 */
@Tag("integration")
@Timeout(120)
class MqttPersistentSessionIntegrationTest {

    private static final Duration HOLD = Duration.ofSeconds(2);
    private static final int QUEUE = 5;

    private static EdgeOnKafka fixture;
    private static int mqttPort;

    @BeforeAll
    static void startEdge() throws Exception {
        // As ./mesh up does, the SUBACK waits for the subscription to be active in every region;
        // with no router here, for the whole hold.
        fixture = EdgeOnKafka.start("us-east-1", config -> config.withMqtt(0).withMqttSubackHold(HOLD)
                .withMqttSessions(MqttSessionSettings.DEFAULTS.withQueue(QUEUE, MqttSessionSettings.Overflow.DISCARD)));
        mqttPort = fixture.edge.port("MQTT").orElseThrow();
    }

    @AfterAll
    static void stopEdge() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    /**
     * MQTT 3.1.1 3.1.2.4 / MQTT 5 3.1.2.4: QoS 1 and 2 messages are kept for an offline session; QoS 0
     * ones may be (HiveMQ does not). Delivered at the publish QoS, so the QoS 0 event stays QoS 0.
     */
    private static void assertQueuedWhileOffline(java.util.function.Supplier<java.util.List<String>> payloads) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(Mqtt5Client.WAIT_MS))
                .until(() -> payloads.get().containsAll(java.util.List.of("qos 1", "qos 2")));
        assertThat(payloads.get()).as("each once, QoS 0 optional").doesNotHaveDuplicates()
                .isSubsetOf("qos 0", "qos 1", "qos 2");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void mqtt311SessionGetsQos0AndQos1EventsPublishedWhileItWasOffline() throws Exception {
        String root = unique("TopicA");
        try (Mqtt3Session away = new Mqtt3Session(mqttPort, unique("myclientid"));
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("myclientid2"))) {
            assertThat(away.connect(false)).isFalse();
            away.subscribe(2, root + "/+");
            away.disconnect();

            publisher.publish(root + "/B", "qos 0", 0, false);
            publisher.publish(root + "/C", "qos 1", 1, false);
            publisher.publish(root + "/D", "qos 2", 2, false);

            assertThat(away.connect(false)).isTrue();
            assertQueuedWhileOffline(() -> away.received().stream().map(Mqtt3Session.Received::payload).toList());
        }
    }

    @Test
    void mqtt5SessionWithExpiryGetsQos0AndQos1EventsPublishedWhileItWasOffline() throws Exception {
        String root = unique("TopicA");
        try (Mqtt5Session away = new Mqtt5Session(mqttPort, unique("myclientid"));
             Mqtt5Session publisher = new Mqtt5Session(mqttPort, unique("myclientid2"))) {
            assertThat(away.connect(true, 99_999)).isFalse();
            away.subscribe(2, root + "/+");
            away.disconnect();
            publisher.connect(true, 0);

            publisher.publish(root + "/B", "qos 0", 0);
            publisher.publish(root + "/C", "qos 1", 1);
            publisher.publish(root + "/D", "qos 2", 2);

            assertThat(away.connect(false, 99_999)).isTrue();
            assertQueuedWhileOffline(() -> away.received().stream().map(Mqtt5Session.Received::payload).toList());
        }
    }

    @Test
    void mqtt311UnacknowledgedEventsAreRedeliveredOnReconnect() throws Exception {
        String root = unique("TopicA");
        try (Mqtt3Session paused = new Mqtt3Session(mqttPort, unique("myclientid2"))) {
            paused.connect(false);
            paused.subscribe(2, root + "/#");
            paused.holdAcks(true);
            paused.publish(root + "/B", "", 1);
            paused.publish(root + "/C", "second", 1);
            paused.awaitReceived(1);
            paused.disconnect();
            paused.clear();
            paused.holdAcks(false);

            assertThat(paused.connect(false)).isTrue();

            assertThat(paused.awaitReceived(2)).extracting(Mqtt3Session.Received::payload).containsExactlyInAnyOrder("", "second");
        }
    }

    @Test
    void mqtt5UnacknowledgedEventsAreRedeliveredOnReconnect() throws Exception {
        String root = unique("TopicA");
        try (Mqtt5Session paused = new Mqtt5Session(mqttPort, unique("myclientid2"))) {
            paused.connect(true, 99_999);
            paused.subscribe(2, root + "/#");
            paused.holdAcks(true);
            paused.publish(root + "/B", "", 1);
            paused.publish(root + "/C", "second", 1);
            paused.awaitReceived(1);
            paused.disconnect();
            paused.clear();
            paused.holdAcks(false);

            assertThat(paused.connect(false, 99_999)).isTrue();

            assertThat(paused.awaitReceived(2)).extracting(Mqtt5Session.Received::payload).containsExactlyInAnyOrder("", "second");
        }
    }

    @Test
    void mqtt311SubscriptionSentJustBeforeADisconnectIsKeptBySession() throws Exception {
        String root = unique("TopicA");
        String clientId = unique("myclientid");
        try (Mqtt3Session away = new Mqtt3Session(mqttPort, clientId);
             Mqtt3Client publisher = Mqtt3Client.connect(mqttPort, unique("myclientid2"))) {
            RawMqttSession raw = new RawMqttSession(mqttPort, 4, clientId, false, 0);
            raw.subscribeNoWait(root + "/+", 2);
            raw.disconnect();

            publisher.publish(root + "/B", "qos 0", 0, false);
            publisher.publish(root + "/C", "qos 1", 1, false);
            publisher.publish(root + "/D", "qos 2", 2, false);

            away.connect(false);
            assertQueuedWhileOffline(() -> away.received().stream().map(Mqtt3Session.Received::payload).toList());
        }
    }

    @Test
    void mqtt5SubscriptionSentJustBeforeADisconnectIsKeptBySession() throws Exception {
        String root = unique("TopicA");
        String clientId = unique("myclientid");
        try (Mqtt5Session away = new Mqtt5Session(mqttPort, clientId);
             Mqtt5Session publisher = new Mqtt5Session(mqttPort, unique("myclientid2"))) {
            RawMqttSession raw = new RawMqttSession(mqttPort, 5, clientId, true, 99_999);
            raw.subscribeNoWait(root + "/+", 2);
            raw.disconnect();
            publisher.connect(true, 0);

            publisher.publish(root + "/B", "qos 0", 0);
            publisher.publish(root + "/C", "qos 1", 1);
            publisher.publish(root + "/D", "qos 2", 2);

            away.connect(false, 99_999);
            assertQueuedWhileOffline(() -> away.received().stream().map(Mqtt5Session.Received::payload).toList());
        }
    }

    @Test
    void fullQueueOfAnOfflineSessionDropsNewestEventsAndCountsThem() throws Exception {
        String root = unique("meters");
        String clientId = unique("meter");
        double droppedBefore = droppedTotal();
        try (Mqtt5Session away = new Mqtt5Session(mqttPort, clientId)) {
            away.connect(true, 300);
            away.subscribe(1, root + "/#");
            away.disconnect();

            for (int i = 0; i < QUEUE + 3; i++) {
                assertThat(fixture.publisher.publishOn(root + "/reading", unique("evt"), "reading-" + i).statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> droppedTotal() - droppedBefore >= 3);

            away.connect(false, 300);
            away.awaitReceived(QUEUE);
            try (Mqtt5Session marker = new Mqtt5Session(mqttPort, unique("pub"))) {
                marker.connect(true, 0);
                marker.publish(root + "/marker", "marker", 1);
            }
            away.awaitReceived(QUEUE + 1);
            // discard: the queue keeps what was queued first and the newest events are dropped.
            assertThat(away.payloads()).containsExactly("reading-0", "reading-1", "reading-2", "reading-3", "reading-4", "marker");
        }
    }

    @Test
    void discardOldestKeepsTheNewestEventsOfAnOfflineSession() throws Exception {
        String root = unique("gauges");
        String clientId = unique("gauge");
        // A second edge on the same region's cluster, whose sessions keep the newest events.
        try (EdgeBridge newest = EdgeBridge.start(EdgeConfig.defaults("us-east-1", fixture.kafka.bootstrapServers())
                .withHttp("127.0.0.1", 0).withMqtt(0)
                .withMqttSessions(MqttSessionSettings.DEFAULTS.withQueue(3, MqttSessionSettings.Overflow.DISCARD_OLDEST)));
             Mqtt5Session away = new Mqtt5Session(newest.port("MQTT").orElseThrow(), clientId)) {
            away.connect(true, 300);
            away.subscribe(1, root + "/#");
            away.disconnect();

            for (int i = 0; i < 6; i++) {
                assertThat(fixture.publisher.publishOn(root + "/level", unique("evt"), "level-" + i).statusCode()).isEqualTo(202);
            }
            // Every event went through this edge's delivery before the client comes back.
            await().atMost(Duration.ofSeconds(20)).until(() -> newest.deliveryRecordsRead() >= 6);

            away.connect(false, 300);
            away.awaitReceived(3);
            try (Mqtt5Session marker = new Mqtt5Session(newest.port("MQTT").orElseThrow(), unique("pub"))) {
                marker.connect(true, 0);
                marker.publish(root + "/marker", "marker", 1);
            }
            away.awaitReceived(4);
            assertThat(away.payloads()).containsExactly("level-3", "level-4", "level-5", "marker");
        }
    }

    @Test
    void secondConnectionTakesTheSessionOverWithItsSubscriptionsAndUnacknowledgedEvents() throws Exception {
        String root = unique("vans");
        String clientId = unique("van");
        try (Mqtt5Session first = new Mqtt5Session(mqttPort, clientId);
             Mqtt5Session second = new Mqtt5Session(mqttPort, clientId)) {
            first.connect(true, 300);
            first.subscribe(1, root + "/#");
            first.holdAcks(true);
            assertThat(fixture.publisher.publishOn(root + "/gps", unique("evt"), "unacknowledged").statusCode()).isEqualTo(202);
            first.awaitReceived(1);

            assertThat(second.connect(false, 300)).isTrue();

            await().atMost(Duration.ofSeconds(20)).until(() -> first.serverDisconnect() != null);
            assertThat(first.serverDisconnect().getReturnCode()).isEqualTo(0x8E); // session taken over
            assertThat(second.awaitReceived(1)).extracting(Mqtt5Session.Received::payload).containsExactly("unacknowledged");
            assertThat(fixture.publisher.publishOn(root + "/gps", unique("evt"), "after-takeover").statusCode()).isEqualTo(202);
            second.awaitReceived(2);
            assertThat(second.payloads()).containsExactly("unacknowledged", "after-takeover");
            awaitInterest(root + "/#", true);
        }
    }

    @Test
    void mqtt311TakeoverKeepsTheSessionsInterest() throws Exception {
        String root = unique("trams");
        String clientId = unique("tram");
        try (Mqtt3Session first = new Mqtt3Session(mqttPort, clientId);
             Mqtt3Session second = new Mqtt3Session(mqttPort, clientId)) {
            first.connect(false);
            first.subscribe(1, root + "/#");

            assertThat(second.connect(false)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> !first.isConnected());

            assertThat(fixture.publisher.publishOn(root + "/stop", unique("evt"), "after-takeover").statusCode()).isEqualTo(202);
            assertThat(second.awaitReceived(1)).extracting(Mqtt3Session.Received::payload).containsExactly("after-takeover");
            awaitInterest(root + "/#", true);
        }
    }

    @Test
    void sessionExpiryOnDisconnectAfterAConnectWithoutOneIsAProtocolError() throws Exception {
        String root = unique("bad");
        try (Mqtt5Session watcher = new Mqtt5Session(mqttPort, unique("watch"))) {
            watcher.connect(true, 0);
            watcher.subscribe(1, root + "/#");
            String clientId = unique("bad");
            try (RawMqttSession bad = new RawMqttSession(mqttPort, 5, clientId, true, 0)) {
                // MQTT 5 section 3.14.2.2.2: a session expiry on DISCONNECT is a protocol error when the CONNECT had 0.
                assertThat(bad.disconnectWithSessionExpiry(300)).isEqualTo(0x82);
            }
            assertThat(fixture.publisher.publishOn(root + "/x", unique("evt"), "still-up").statusCode()).isEqualTo(202);
            assertThat(watcher.awaitReceived(1)).extracting(Mqtt5Session.Received::payload).containsExactly("still-up");
        }
    }

    private static double droppedTotal() throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + fixture.edge.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        Matcher line = Pattern.compile("(?m)^mesh_edge_mqtt_dropped_total\\{region=\"us-east-1\"} (\\S+)$").matcher(metrics.body());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static void awaitInterest(String pattern, boolean held) {
        InterestRecords.await(fixture.kafka.bootstrapServers(), fixture.edge.edgeId(), pattern, held);
    }
}
