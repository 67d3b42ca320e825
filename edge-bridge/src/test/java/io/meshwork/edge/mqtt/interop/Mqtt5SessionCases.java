package io.meshwork.edge.mqtt.interop;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The MQTT 5 cases of Paho's {@code client_test5.py} about connections, sessions and delivery
 * (the 3.1.1 ten, in their MQTT 5 form, plus unsubscribe and session expiry).
 */
public final class Mqtt5SessionCases extends Mqtt5Group {

    public Mqtt5SessionCases(InteropTarget target, Timing timing, String runId) {
        super(target, timing, runId);
    }

    public CaseResult basic() {
        return run("basic", t -> {
            try (Paho5Session a = client(sub(), "basic", "a")) {
                a.subscribe(t.topic(0), 2);
                Paho5Session publisher = publisherBeside(a, "basic");
                publish(publisher, t.topic(0), "qos 0", 0, false);
                publish(publisher, t.topic(0), "qos 1", 1, false);
                publish(publisher, t.topic(0), "qos 2", 2, false);
                closeIfOther(publisher, a);
                List<Paho5Session.Message> got = awaitAtLeast(a::received, 3, "[MQTT-4.5.0-1] The Server MUST add a message to"
                        + " the Session state of every client with a matching subscription (QoS 0, 1 and 2 publishes to a QoS 2"
                        + " subscription)");
                requireQos012(got);
            }
            secondConnectIsRefused(V5, "basic");
            wrongProtocolNameIsRefused(V5, "basic");
            return null;
        });
    }

    public CaseResult retainedMessages() {
        return run("retained_message", t -> {
            try (Paho5Session a = client(pub(), "retained_message", "a")) {
                byte[][] payloads = {"qos 0".getBytes(), "qos 1".getBytes(), "qos 2".getBytes()};
                for (int qos = 0; qos < 3; qos++) {
                    publish(a, t.topic(qos + 1), payloads[qos], qos, true, suiteUserProperties());
                }
            }
            try (Paho5Session s = client(sub(), "retained_message", "s")) {
                s.subscribe(t.wild(5), 2);
                List<Paho5Session.Message> got = awaitAtLeast(s::received, 3, "[MQTT-3.3.1-9] With Retain Handling 0 the"
                        + " Server MUST send the retained messages matching the Topic Filter of the subscription");
                SpecViolation.require(got.stream().allMatch(m -> hasSuiteUserProperties(m.userProperties())),
                        "[MQTT-3.3.2-17] The Server MUST send all User Properties unaltered when forwarding the Application"
                                + " Message (retained messages keep theirs)", describe(got));
                requireQos012(got);
            } finally {
                clearRetained(t.topic(1), t.topic(2), t.topic(3));
            }
            return null;
        });
    }

    public CaseResult willMessage() {
        return run("will_message", t -> {
            try (Paho5Session b = client(sub(), "will_message", "b", o -> o.setCleanStart(false))) {
                b.subscribe(t.topic(2), 2);
                RawProperties willProperties = new RawProperties().with(RawProperties.WILL_DELAY, 0L)
                        .withUserProperty("a", "2").withUserProperty("c", "3");
                RawMqttClient a = raw(pub(), RawMqttClient.Connect.of(clientId("will_message", "a"), true, 2)
                        .withWill(new RawMqttClient.Will(t.topic(2), "will message", 0, false, willProperties)));
                a.terminate();
                String statement = "[MQTT-3.1.2-8] The Will Message MUST be published after the Network Connection is"
                        + " closed without a DISCONNECT";
                List<Paho5Session.Message> got = awaitAtLeast(b::received, 1, statement);
                got = staysAtMost(b::received, 1, statement + ", once");
                SpecViolation.require(got.get(0).userProperties().equals(SUITE_USER_PROPERTIES),
                        "[MQTT-3.1.3-10] The Server MUST maintain the order of User Properties when publishing the Will"
                                + " Message", describe(got));
            }
            return null;
        });
    }

    public CaseResult zeroLengthClientId() {
        return run("zero_length_clientid", t -> {
            for (boolean cleanStart : new boolean[] {false, true}) {
                try (RawMqttClient raw = RawMqttClient.open(pub(), V5, Duration.ofSeconds(10))) {
                    RawMqttClient.Connack connack = raw.sendConnect(RawMqttClient.Connect.of("", cleanStart, 60));
                    SpecViolation.require(connack != null && connack.code() == 0,
                            "[MQTT-3.1.3-6] A Server that allows a zero-length ClientID assigns a unique one and processes"
                                    + " the CONNECT (the suite expects acceptance with Clean Start " + (cleanStart ? 1 : 0) + ")",
                            "CONNACK " + connack);
                    raw.disconnect();
                }
            }
            return null;
        });
    }

    public CaseResult offlineMessageQueueing() {
        return run("offline_message_queueing", t -> {
            try (Paho5Session a = client(sub(), "offline_message_queueing", "a", o -> o.setSessionExpiryInterval(99_999L))) {
                a.subscribe(t.wild(5), 2);
            }
            try (Paho5Session b = client(pub(), "offline_message_queueing", "b")) {
                publish(b, t.topic(1), "qos 0", 0, false);
                publish(b, t.topic(2), "qos 1", 1, false);
                publish(b, t.topic(3), "qos 2", 2, false);
            }
            try (Paho5Session a = client(sub(), "offline_message_queueing", "a", o -> o.setCleanStart(false))) {
                String statement = "[MQTT-4.1.0] While a Session exists the Server keeps the QoS 1 and QoS 2 messages"
                        + " pending transmission to its Client, and sends them when it reconnects";
                awaitAtLeast(a::received, 2, statement);
                List<Paho5Session.Message> got = staysAtMost(a::received, 3, "each queued message is delivered once");
                Set<Integer> qos = got.stream().map(Paho5Session.Message::qos).collect(Collectors.toSet());
                SpecViolation.require(qos.containsAll(Set.of(1, 2)), statement, describe(got));
                return got.size() == 3 ? "queues QoS 0 messages for offline clients" : "does not queue QoS 0 messages";
            }
        });
    }

    public CaseResult overlappingSubscriptions() {
        return run("overlapping_subscriptions", t -> {
            try (Paho5Session a = client(sub(), "overlapping_subscriptions", "a")) {
                a.subscribe(new MqttProperties(), new org.eclipse.paho.mqttv5.common.MqttSubscription(t.wild(6), 2),
                        new org.eclipse.paho.mqttv5.common.MqttSubscription(t.wild(0), 1));
                Paho5Session publisher = publisherBeside(a, "overlapping_subscriptions");
                publish(publisher, t.topic(3), "overlapping topic filters", 2, false);
                closeIfOther(publisher, a);
                awaitAtLeast(a::received, 1, "[MQTT-3.3.4-2] The Server MUST deliver the message to the Client respecting"
                        + " the maximum QoS of all the matching subscriptions");
                List<Paho5Session.Message> got = staysAtMost(a::received, 2, "at most one message per matching subscription");
                List<Integer> qos = got.stream().map(Paho5Session.Message::qos).sorted().toList();
                SpecViolation.require(qos.equals(List.of(2)) || qos.equals(List.of(1, 2)),
                        "[MQTT-3.3.4-2] respecting the maximum QoS of all the matching subscriptions (one message at QoS 2,"
                                + " or one per subscription at QoS 2 and 1)", "QoS " + qos);
                return got.size() == 1 ? "one message for all overlapping subscriptions" : "one message per subscription";
            }
        });
    }

    public CaseResult keepalive() {
        return run("keepalive", t -> {
            // The subscriber first, so that a slow SUBACK cannot decide the case.
            try (Paho5Session b = client(sub(), "keepalive", "b")) {
                b.subscribe(t.topic(4), 2);
                RawMqttClient a = raw(pub(), RawMqttClient.Connect.of(clientId("keepalive", "a"), true, 5)
                        .withWill(new RawMqttClient.Will(t.topic(4), "keepalive expiry", 0, false, new RawProperties())));
                try (a) {
                    String statement = "[MQTT-3.1.2-22] If the Server does not receive a packet within one and a half times"
                            + " the Keep Alive, it MUST close the Network Connection as if the network had failed (will published)";
                    awaitAtLeast(b::received, 1, statement);
                    staysAtMost(b::received, 1, statement + ", once");
                }
            }
            return null;
        });
    }

    public CaseResult redeliveryOnReconnect() {
        return run("redelivery_on_reconnect", t -> {
            RawMqttClient.Connect session = RawMqttClient.Connect.of(clientId("redelivery_on_reconnect", "b"), true, 60)
                    .withProperties(new RawProperties().with(RawProperties.SESSION_EXPIRY, 99_999L));
            try (RawMqttClient b = raw(sub(), session)) {
                b.subscribe(t.wild(6), 2, new RawProperties());
                b.holdAcks(true);
                try (Paho5Session publisher = client(pub(), "redelivery_on_reconnect", "pub")) {
                    publish(publisher, t.topic(1), "", 1, false);
                    publish(publisher, t.topic(3), "", 2, false);
                }
                awaitHeld(b, 2);
                b.disconnect();
            }
            RawMqttClient.Connect resume = new RawMqttClient.Connect(session.clientId(), false, 60, "MQTT", session.properties(), null);
            try (RawMqttClient b = raw(sub(), resume)) {
                List<RawMqttClient.Publish> got = awaitAtLeast(b::received, 2, "[MQTT-4.4.0-1] When a Client reconnects with"
                        + " Clean Start 0 and a session is present, the Server MUST resend unacknowledged PUBLISH packets");
                Set<String> topics = got.stream().map(RawMqttClient.Publish::topic).collect(Collectors.toSet());
                SpecViolation.require(topics.equals(Set.of(t.topic(1), t.topic(3))),
                        "[MQTT-4.4.0-1] the unacknowledged QoS 1 and QoS 2 messages are resent", got.toString());
                b.disconnect(new RawProperties().with(RawProperties.SESSION_EXPIRY, 0L));
            }
            return null;
        });
    }

    public CaseResult subscribeFailure() {
        return run("subscribe_failure", t -> {
            try (Paho5Session a = client(sub(), "subscribe_failure", "a")) {
                int[] codes = a.subscribe("test/nosubscribe", 2);
                SpecViolation.require(codes.length == 1 && codes[0] == 0x80,
                        "[MQTT-3.9.3] SUBACK reason code 0x80 (Unspecified error) for a filter the Server refuses (the suite"
                                + " expects 'test/nosubscribe' to be refused)", "reason codes " + java.util.Arrays.toString(codes));
            }
            return null;
        });
    }

    public CaseResult dollarTopics() {
        return run("dollar_topics", t -> {
            String level = runId + "-dollar5";
            try (Paho5Session b = client(sub(), "dollar_topics", "b")) {
                b.subscribe("+/" + level, 2);
                try (Paho5Session publisher = client(pub(), "dollar_topics", "pub")) {
                    publisher.publish("$TopicA/" + level, "", 1, false);
                } catch (Exception refused) {
                    // A server may refuse $ topics from clients: nothing to match then.
                }
                try (Paho5Session marker = client(pub(), "dollar_topics", "marker")) {
                    publish(marker, "TopicA/" + level, "marker", 1, false);
                }
                awaitAtLeast(b::received, 1, "(control) a message on TopicA/" + level + " reaches the +/" + level + " subscription");
                List<Paho5Session.Message> got = staysAtMost(b::received, 1, "[MQTT-4.7.2-1] The Server MUST NOT match Topic"
                        + " Filters starting with a wildcard character (# or +) with Topic Names beginning with a $ character");
                SpecViolation.require(got.stream().noneMatch(m -> m.topic().startsWith("$")),
                        "[MQTT-4.7.2-1] The Server MUST NOT match Topic Filters starting with a wildcard with Topic Names"
                                + " beginning with $", describe(got));
            }
            return null;
        });
    }

    public CaseResult unsubscribe() {
        return run("unsubscribe", t -> {
            try (Paho5Session b = client(sub(), "unsubscribe", "b")) {
                for (int i = 0; i < 3; i++) {
                    b.subscribe(t.topic(i), 2);
                }
                b.unsubscribe(t.topic(0));
                try (Paho5Session a = client(pub(), "unsubscribe", "a")) {
                    publish(a, t.topic(0), "topic 0 - unsubscribed", 1, false);
                    publish(a, t.topic(1), "topic 1", 1, false);
                    publish(a, t.topic(2), "topic 2", 1, false);
                }
                String statement = "[MQTT-3.10.4-1] A filter in UNSUBSCRIBE that matches a subscription exactly deletes it;"
                        + " [MQTT-3.10.4-2] the Server MUST stop adding new messages for it";
                awaitAtLeast(b::received, 2, "the two remaining subscriptions still deliver");
                List<Paho5Session.Message> got = staysAtMost(b::received, 2, statement);
                SpecViolation.require(got.stream().noneMatch(m -> m.topic().equals(t.topic(0))), statement, describe(got));
            }
            return null;
        });
    }

    public CaseResult sessionExpiry() {
        return run("session_expiry", t -> {
            String present = "[MQTT-3.2.2-3] With Clean Start 0 and Session State present, Session Present MUST be 1";
            String absent = "[MQTT-3.2.2-3] Without Session State Session Present MUST be 0 ([MQTT-3.2.2-2] also on Clean Start 1)";
            sessionRound(t, true, 0, null, false, absent);
            sessionRound(t, false, 0, null, false, absent + " (Session Expiry 0 ends it with the connection)");
            sessionRound(t, true, 5, null, false, absent);
            letPass(Duration.ofSeconds(2));
            sessionRound(t, false, 5, null, true, present + " (2 s into a 5 s expiry)");
            letPass(Duration.ofSeconds(6));
            sessionRound(t, false, 5, null, false, absent + " (6 s after a 5 s expiry)");
            sessionRound(t, true, 1, 5L, false, absent);
            letPass(Duration.ofSeconds(3));
            sessionRound(t, false, 1, 0L, true, present + " ([MQTT-3.14.2] the DISCONNECT raised the expiry to 5 s)");
            sessionRound(t, false, 1, null, false, absent + " (the DISCONNECT set the expiry to 0)");
            return null;
        });
    }

    /** Connects with the given Clean Start and expiry, checks Session Present, subscribes on a clean start, disconnects. */
    private void sessionRound(Topics t, boolean cleanStart, long expiry, Long expiryOnDisconnect, boolean expectPresent,
                              String statement) throws Exception {
        Paho5Session a = client(sub(), "session_expiry", "a", o -> {
            o.setCleanStart(cleanStart);
            o.setSessionExpiryInterval(expiry);
        });
        try {
            SpecViolation.require(a.sessionPresent() == expectPresent, statement, "Session Present " + (a.sessionPresent() ? 1 : 0));
            if (cleanStart) {
                a.subscribe(t.topic(0), 2);
            }
        } finally {
            MqttProperties properties = new MqttProperties();
            if (expiryOnDisconnect != null) {
                properties.setSessionExpiryInterval(expiryOnDisconnect);
            }
            a.disconnect(properties);
        }
    }
}
