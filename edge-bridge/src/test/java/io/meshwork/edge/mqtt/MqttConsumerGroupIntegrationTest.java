package io.meshwork.edge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshwork.edge.EdgeOnKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.packet.MqttSubAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consumer groups for MQTT clients on one edge over a real embedded Kafka, with Paho clients:
 * the MQTT 5 SUBSCRIBE user property {@code group} (DESIGN.md 2.6) and MQTT's own
 * {@code $share/<group>/<filter>}, both mesh consumer groups (the edge picks the member of each event,
 * see {@code MqttSharedSubscriptionAcrossEdgesIntegrationTest} for members on several edges).
 */
@Tag("integration")
@Timeout(120)
class MqttConsumerGroupIntegrationTest {

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

    private static List<String> publish(Mqtt5Client publisher, String topic, int count) throws Exception {
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String payload = unique("job" + i);
            assertThat(publisher.publish(topic, payload).getReasonCodes()).containsExactly(0);
            payloads.add(payload);
        }
        return payloads;
    }

    private static void assertEachOnceOverAll(List<String> published, Mqtt5Client... members) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Stream.of(members).mapToInt(m -> m.payloads().size()).sum() >= published.size());
        assertThat(Stream.of(members).flatMap(m -> m.payloads().stream()).toList()).as("each event to one member")
                .containsExactlyInAnyOrderElementsOf(published);
        // Not asserted: that every member takes a share. The mesh group picks a member per event by
        // its partition key or id, so a few events may by chance all go to one member; without the
        // group each member would get every event.
    }

    @Test
    void theGroupUserPropertyGivesEachEventToOneMemberUntilItUnsubscribes() throws Exception {
        String prefix = unique("work");
        Map<String, String> group = Map.of("group", "mqtt-workers");
        try (Mqtt5Client a = Mqtt5Client.connect(mqttPort, unique("a"));
             Mqtt5Client b = Mqtt5Client.connect(mqttPort, unique("b"));
             Mqtt5Client c = Mqtt5Client.connect(mqttPort, unique("c"));
             Mqtt5Client publisher = Mqtt5Client.connect(mqttPort, unique("pub"))) {
            for (Mqtt5Client member : List.of(a, b, c)) {
                assertThat(member.subscribe(prefix + "/#", group).getReasonCodes()).containsExactly(1);
            }
            assertEachOnceOverAll(publish(publisher, prefix + "/x", 30), a, b, c);

            // Unsubscribing needs the group too: the subscription is the group's.
            assertThat(a.unsubscribe(prefix + "/#", group).getReasonCodes()).containsExactly(0);
            int before = a.payloads().size();
            List<String> later = publish(publisher, prefix + "/y", 10);
            await().atMost(Duration.ofSeconds(20)).until(() -> b.payloads().size() + c.payloads().size() >= 40 - before);
            assertThat(Stream.concat(b.payloads().stream(), c.payloads().stream()).toList()).containsAll(later);
            assertThat(a.payloads()).hasSize(before);
        }
    }

    @Test
    void sharedSubscriptionsStillGiveEachEventToOneMember() throws Exception {
        String prefix = unique("shared");
        try (Mqtt5Client a = Mqtt5Client.connect(mqttPort, unique("a"));
             Mqtt5Client b = Mqtt5Client.connect(mqttPort, unique("b"));
             Mqtt5Client publisher = Mqtt5Client.connect(mqttPort, unique("pub"))) {
            assertThat(a.subscribe("$share/sharers/" + prefix + "/#").getReasonCodes()).containsExactly(1);
            // The same group by user property: one group with the $share member.
            assertThat(b.subscribe(prefix + "/#", Map.of("group", "sharers")).getReasonCodes()).containsExactly(1);
            assertEachOnceOverAll(publish(publisher, prefix + "/x", 20), a, b);
        }
    }

    @Test
    void aBadGroupIsRefusedWithASubackReasonNamingTheGroup() throws Exception {
        try (Mqtt5Client client = Mqtt5Client.connect(mqttPort, unique("bad"))) {
            IMqttToken tooLong = client.subscribe("bad/#", Map.of("group", "g".repeat(129)));
            assertThat(tooLong.getReasonCodes()).containsExactly(0x83);
            assertThat(((MqttSubAck) tooLong.getResponse()).getProperties().getReasonString()).startsWith("group").contains("128");

            IMqttToken contradicting = client.subscribe("$share/one/bad/#", Map.of("group", "two"));
            assertThat(contradicting.getReasonCodes()).containsExactly(0x83);
            assertThat(((MqttSubAck) contradicting.getResponse()).getProperties().getReasonString()).startsWith("group");

            IMqttToken badShareName = client.subscribe("$share/bad*name/bad/#");
            assertThat(badShareName.getReasonCodes()).containsExactly(0x83);
            assertThat(((MqttSubAck) badShareName.getResponse()).getProperties().getReasonString()).startsWith("group")
                    .contains("bad*name");
            assertThat(client.isConnected()).isTrue();
        }
    }
}
