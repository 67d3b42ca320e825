package io.meshwork.edge.mqtt.interop;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The MQTT 5 cases of Paho's {@code client_test5.py} about limits and timers: topic aliases both
 * ways, maximum packet size, server keep alive, receive maximum both ways, will delay, and
 * shared subscriptions.
 */
public final class Mqtt5LimitCases extends Mqtt5Group {

    public Mqtt5LimitCases(InteropTarget target, Timing timing, String runId) {
        super(target, timing, runId);
    }

    public CaseResult clientTopicAlias() {
        return run("client_topic_alias", t -> {
            try (RawMqttClient a = raw(pub(), RawMqttClient.Connect.of(clientId("client_topic_alias", "a0"), true, 60))) {
                a.sendPublish(t.topic(0), "topic alias 0".getBytes(StandardCharsets.UTF_8), 1, false,
                        new RawProperties().with(RawProperties.TOPIC_ALIAS, 0));
                requireDisconnected(a, "[MQTT-3.3.2-8] A Topic Alias of 0 is not permitted: the Server MUST answer it with a"
                        + " DISCONNECT (0x94 Topic Alias invalid)");
            }
            RawProperties connect = new RawProperties().with(RawProperties.TOPIC_ALIAS_MAXIMUM, 0)
                    .with(RawProperties.SESSION_EXPIRY, 99_999L);
            RawMqttClient.Connect session = RawMqttClient.Connect.of(clientId("client_topic_alias", "a"), true, 60).withProperties(connect);
            try (Paho5Session s = client(sub(), "client_topic_alias", "s")) {
                s.subscribe(t.topic(0), 2);
                try (RawMqttClient a = raw(pub(), session)) {
                    Object maximum = a.connack().properties().first(RawProperties.TOPIC_ALIAS_MAXIMUM);
                    if (maximum == null || ((Integer) maximum) == 0) {
                        a.disconnect();
                        return "accepts no topic aliases from clients";
                    }
                    RawProperties alias = new RawProperties().with(RawProperties.TOPIC_ALIAS, 1);
                    publish(a, t.topic(0), "topic alias 1", 1, false, alias);
                    publish(a, "", "topic alias 2", 1, false, alias);
                    awaitAtLeast(s::received, 2, "[MQTT-3.3.2-12] A receiver that gets a Topic Alias with an empty Topic Name"
                            + " MUST use the topic it mapped to the alias");
                    a.disconnect();
                }
                RawMqttClient.Connect resume = new RawMqttClient.Connect(session.clientId(), false, 60, "MQTT", connect, null);
                try (RawMqttClient a = raw(pub(), resume)) {
                    publish(a, t.topic(0), "topic alias 3", 1, false, new RawProperties());
                    awaitAtLeast(s::received, 3, "[MQTT-4.5.0-1] the message is delivered");
                    a.sendPublish("", "topic alias 4".getBytes(StandardCharsets.UTF_8), 1, false,
                            new RawProperties().with(RawProperties.TOPIC_ALIAS, 1));
                    requireDisconnected(a, "[MQTT-3.3.2-7] Topic Alias mappings last only for the lifetime of a Network"
                            + " Connection: an alias from a previous connection is a Protocol Error (DISCONNECT)");
                    a.terminate();
                }
            }
            return null;
        });
    }

    private void requireDisconnected(RawMqttClient client, String statement) {
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> client.isClosed() || client.serverDisconnect() >= 0);
        } catch (ConditionTimeoutException e) {
            throw new SpecViolation(statement + "; observed: the connection stayed open");
        }
    }

    public CaseResult serverTopicAlias() {
        return run("server_topic_alias", t -> {
            List<RawMqttClient.Publish> got = threeDeliveries(t, new RawProperties().with(RawProperties.TOPIC_ALIAS_MAXIMUM, 1), "ta1");
            Object first = got.get(0).properties().first(RawProperties.TOPIC_ALIAS);
            SpecViolation.require(first != null && ((Integer) first) == 1 && got.get(0).topic().equals(t.topic(0)),
                    "(suite) a Server allowed Topic Alias Maximum 1 sets topic alias 1 with the topic on the first PUBLISH;"
                            + " [MQTT-3.1.2-26] it MUST NOT send a Topic Alias above the Client's Topic Alias Maximum", got.toString());
            for (RawMqttClient.Publish p : got.subList(1, 3)) {
                SpecViolation.require(first.equals(p.properties().first(RawProperties.TOPIC_ALIAS)) && p.topic().isEmpty(),
                        "(suite) later PUBLISHes on the topic use the alias with an empty Topic Name", got.toString());
            }
            for (RawProperties connect : List.of(new RawProperties(), new RawProperties().with(RawProperties.TOPIC_ALIAS_MAXIMUM, 0))) {
                List<RawMqttClient.Publish> plain = threeDeliveries(t, connect, connect.has(RawProperties.TOPIC_ALIAS_MAXIMUM) ? "ta0" : "ta");
                SpecViolation.require(plain.stream().noneMatch(p -> p.properties().has(RawProperties.TOPIC_ALIAS)),
                        "[MQTT-3.1.2-27] With Topic Alias Maximum absent or 0 the Server MUST NOT send Topic Aliases", plain.toString());
            }
            return null;
        });
    }

    /** A raw client with these CONNECT properties subscribes to t0 and gets QoS 0, 1 and 2 publishes. */
    private List<RawMqttClient.Publish> threeDeliveries(Topics t, RawProperties connect, String role) throws Exception {
        try (RawMqttClient a = raw(sub(), RawMqttClient.Connect.of(clientId("server_topic_alias", role), true, 60).withProperties(connect))) {
            a.subscribe(t.topic(0), 2, new RawProperties());
            for (int qos = 0; qos < 3; qos++) {
                if (target.isSplit()) {
                    try (Paho5Session publisher = client(pub(), "server_topic_alias", role + "p" + qos)) {
                        publish(publisher, t.topic(0), "topic alias 1", qos, false);
                    }
                } else {
                    publish(a, t.topic(0), "topic alias 1", qos, false, new RawProperties());
                }
            }
            List<RawMqttClient.Publish> got = awaitAtLeast(a::received, 3, "[MQTT-4.5.0-1] the three publishes are delivered");
            a.disconnect();
            return got;
        }
    }

    public CaseResult maximumPacketSize() {
        return run("maximum_packet_size", t -> {
            String note = null;
            try (RawMqttClient a = raw(pub(), RawMqttClient.Connect.of(clientId("maximum_packet_size", "a0"), true, 60))) {
                Object serverMaximum = a.connack().properties().first(RawProperties.MAXIMUM_PACKET_SIZE);
                if (serverMaximum != null && (Long) serverMaximum < 65_535) {
                    a.sendPublish(t.topic(0), new byte[((Long) serverMaximum).intValue()], 0, false, new RawProperties());
                    requireDisconnected(a, "[MQTT-3.2.2-15] A Client sending a packet over the Server's Maximum Packet Size"
                            + " is disconnected (0x95 Packet too large)");
                } else {
                    note = "server maximum packet size " + serverMaximum + " is not tested (>= 65535)";
                    a.disconnect();
                }
            }
            // Paho's topic is short ("client_test5/TopicA"); the case needs one as short so that a
            // 32-byte payload fits in 64 bytes and a 64-byte one does not.
            String topic = "mps/" + runId;
            RawProperties small = new RawProperties().with(RawProperties.MAXIMUM_PACKET_SIZE, 64L);
            try (RawMqttClient a = raw(sub(), RawMqttClient.Connect.of(clientId("maximum_packet_size", "a"), true, 60).withProperties(small))) {
                a.subscribe(topic, 2, new RawProperties());
                String half = ".".repeat(32);
                String full = ".".repeat(64);
                if (target.isSplit()) {
                    try (Paho5Session publisher = client(pub(), "maximum_packet_size", "pub")) {
                        publish(publisher, topic, half, 0, false);
                        publish(publisher, topic, full, 1, false);
                    }
                } else {
                    publish(a, topic, half, 0, false, new RawProperties());
                    publish(a, topic, full, 1, false, new RawProperties());
                }
                awaitAtLeast(a::received, 1, "[MQTT-3.1.2-25] a PUBLISH that fits the Client's Maximum Packet Size (64) is"
                        + " delivered");
                List<RawMqttClient.Publish> got = staysAtMost(a::received, 1, "[MQTT-3.1.2-24] The Server MUST NOT send packets"
                        + " exceeding the Client's Maximum Packet Size; [MQTT-3.1.2-25] it discards them");
                SpecViolation.require(got.get(0).text().equals(half), "[MQTT-3.1.2-25] the small message is the one delivered",
                        got.toString());
                a.disconnect();
            }
            return note;
        });
    }

    public CaseResult serverKeepAlive() {
        return run("server_keep_alive", t -> {
            try (Paho5Session a = client(pub(), "server_keep_alive", "a", o -> o.setKeepAliveInterval(120))) {
                MqttProperties connack = a.connackProperties();
                Integer keepAlive = connack == null ? null : connack.getServerKeepAlive();
                SpecViolation.require(keepAlive != null && keepAlive == 60, "[MQTT-3.2.2-21] A Server Keep Alive in the CONNACK"
                        + " replaces the Client's (the suite expects a server that caps a 120 s keep alive at 60 s)",
                        "Server Keep Alive " + keepAlive);
            }
            return null;
        });
    }

    public CaseResult flowControlToClient() {
        return run("flow_control1", t -> {
            RawProperties connect = new RawProperties().with(RawProperties.RECEIVE_MAXIMUM, 2).with(RawProperties.SESSION_EXPIRY, 0L);
            try (RawMqttClient a = raw(sub(), RawMqttClient.Connect.of(clientId("flow_control1", "a"), true, 60).withProperties(connect))) {
                a.subscribe(t.topic(0), 2, new RawProperties());
                a.holdAcks(true);
                if (target.isSplit()) {
                    try (Paho5Session publisher = client(pub(), "flow_control1", "pub")) {
                        for (int i = 1; i <= 3; i++) {
                            publish(publisher, t.topic(0), "message " + i, 1, false);
                        }
                    }
                } else {
                    for (int i = 1; i <= 3; i++) {
                        publish(a, t.topic(0), "message " + i, 1, false, new RawProperties());
                    }
                }
                String statement = "[MQTT-3.3.4-9] The Server MUST NOT send more than Receive Maximum (2) QoS 1 and QoS 2"
                        + " PUBLISH packets for which it has not received PUBACK";
                List<RawMqttClient.Publish> got = awaitAtLeast(a::received, 2, "two messages within the Receive Maximum are sent");
                got = staysAtMost(a::received, 2, statement);
                SpecViolation.require(got.stream().allMatch(p -> p.qos() == 1), "[MQTT-3.8.4-8] delivered at QoS 1", got.toString());
                a.acknowledge(got.get(0));
                awaitAtLeast(a::received, 3, "[MQTT-4.9.0] once a PUBACK frees a slot the Server sends the next message");
                a.acknowledge(got.get(1));
                a.acknowledge(a.received().get(2));
                a.disconnect();
            }
            return null;
        });
    }

    public CaseResult flowControlToServer() {
        return run("flow_control2", t -> {
            try (RawMqttClient a = raw(pub(), RawMqttClient.Connect.of(clientId("flow_control2", "a"), true, 60))) {
                Object advertised = a.connack().properties().first(RawProperties.RECEIVE_MAXIMUM);
                int receiveMaximum = advertised == null ? 65_535 : (Integer) advertised;
                for (int i = 1; i <= receiveMaximum + 1 && !a.isClosed(); i++) {
                    a.sendPublish(t.topic(0), ("message " + i).getBytes(StandardCharsets.UTF_8), 2, false, new RawProperties());
                }
                String statement = "[MQTT-3.3.4-7] a Client MUST NOT exceed the Server's Receive Maximum (" + receiveMaximum
                        + "); the Server answers with DISCONNECT 0x93 (Receive Maximum exceeded)";
                requireDisconnected(a, statement);
                SpecViolation.require(a.serverDisconnect() == 0x93, statement,
                        "DISCONNECT 0x" + Integer.toHexString(a.serverDisconnect()));
            }
            return null;
        });
    }

    public CaseResult willDelay() {
        return run("will_delay", t -> {
            try (Paho5Session b = client(sub(), "will_delay", "b")) {
                b.subscribe(t.topic(0), 2);
                willAfter(t, b, 3, 5, 3, "wd1");
                willAfter(t, b, 5, 0, 0, "wd2");
                willAfter(t, b, 5, 2, 2, "wd3");
            }
            return null;
        });
    }

    /** Terminates a client with this will delay and session expiry and checks the will arrives {@code expected} s later (+2 s). */
    private void willAfter(Topics t, Paho5Session b, long delay, long expiry, long expected, String role) throws Exception {
        int before = b.received().size();
        RawProperties will = new RawProperties().with(RawProperties.WILL_DELAY, delay);
        RawMqttClient a = raw(pub(), RawMqttClient.Connect.of(clientId("will_delay", role), true, 60)
                .withProperties(new RawProperties().with(RawProperties.SESSION_EXPIRY, expiry))
                .withWill(new RawMqttClient.Will(t.topic(0), "test_will_delay will message", 0, false, will)));
        long start = System.nanoTime();
        a.terminate();
        String statement = "[MQTT-3.1.3-9] The Server delays publishing the Will Message until the Will Delay Interval ("
                + delay + " s) has passed or the Session ends (expiry " + expiry + " s), whichever happens first";
        awaitAtLeast(b::received, before + 1, statement);
        double seconds = (System.nanoTime() - start) / 1e9;
        SpecViolation.require(seconds >= expected - 0.25 && seconds <= expected + 2, statement + " (the suite allows "
                + expected + " to " + (expected + 2) + " s)", String.format("the will arrived after %.1f s", seconds));
    }

    public CaseResult sharedSubscriptions() {
        return run("shared_subscriptions", t -> {
            String shared = "$share/sharename-" + runId + "/" + t.prefix() + "x";
            try (Paho5Session a = client(sub(), "shared_subscriptions", "a");
                 Paho5Session b = client(sub(), "shared_subscriptions", "b")) {
                for (Paho5Session c : List.of(a, b)) {
                    c.subscribe(new MqttProperties(), new org.eclipse.paho.mqttv5.common.MqttSubscription(shared, 2),
                            new org.eclipse.paho.mqttv5.common.MqttSubscription(t.topic(0), 2));
                }
                try (Paho5Session publisher = client(pub(), "shared_subscriptions", "pub")) {
                    publish(publisher, t.topic(0), "message 0", 0, false);
                    awaitAtLeast(a::received, 1, "[MQTT-4.5.0-1] each ordinary subscription gets the message");
                    awaitAtLeast(b::received, 1, "[MQTT-4.5.0-1] each ordinary subscription gets the message");
                    publish(publisher, t.prefix() + "x", "message 0", 0, false);
                }
                String statement = "[MQTT-4.8.2] A message matching a Shared Subscription is sent to only one of its sessions";
                awaitAtLeast(() -> both(a, b), 3, statement + " (and to one)");
                staysAtMost(() -> both(a, b), 3, statement);
            }
            return null;
        });
    }

    private static List<Paho5Session.Message> both(Paho5Session a, Paho5Session b) {
        return java.util.stream.Stream.concat(a.received().stream(), b.received().stream()).toList();
    }
}
