package io.meshwork.edge.mqtt.interop;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ten MQTT 3.1.1 cases of the Eclipse Paho interoperability suite
 * ({@code interoperability/client_test.py}), written again against the specification's
 * normative statements, with Paho Java as the client and {@link RawMqttClient} where Paho will
 * not misbehave on request. Where one Paho client both subscribes and publishes, the split
 * variant publishes from a second client on the publish side.
 */
public final class Mqtt311Cases extends CaseGroup {

    static final String VERSION = "3.1.1";
    private static final int V311 = 4;

    public Mqtt311Cases(InteropTarget target, Timing timing, String runId) {
        super(target, timing, runId, VERSION);
    }

    private Paho3Session client(BrokerAddress side, String caseName, String role, boolean clean) throws Exception {
        return Paho3Session.connect(side, clientId(caseName, role), clean, waitFor());
    }

    /** The subscriber itself when there is one broker (as in Paho's suite), else a client on the publish side. */
    private Paho3Session publisherBeside(Paho3Session subscriber, String caseName) throws Exception {
        return target.isSplit() ? client(pub(), caseName, "pub", true) : subscriber;
    }

    /** Publishes; a refused or failed QoS flow fails the case naming the flow. */
    private static void publish(Paho3Session client, String topic, String payload, int qos, boolean retained) {
        try {
            client.publish(topic, payload, qos, retained);
        } catch (Exception e) {
            throw new SpecViolation(flowStatement(qos, retained) + "; observed: the PUBLISH failed: " + e);
        }
    }

    private static void closeIfOther(Paho3Session publisher, Paho3Session subscriber) throws Exception {
        if (publisher != subscriber) {
            publisher.close();
        }
    }

    /** QoS 0, 1 and 2 publishes reach a QoS 2 subscription; a second CONNECT and a wrong protocol name are refused. */
    public CaseResult basic() {
        return run("basic", t -> {
            try (Paho3Session a = client(sub(), "basic", "a", true)) {
                a.subscribe(t.topic(0), 2);
                Paho3Session publisher = publisherBeside(a, "basic");
                publish(publisher, t.topic(0), "qos 0", 0, false);
                publish(publisher, t.topic(0), "qos 1", 1, false);
                publish(publisher, t.topic(0), "qos 2", 2, false);
                closeIfOther(publisher, a);
                awaitAtLeast(a::received, 3, "[MQTT-4.5.0-1] The Server MUST add a message to the Session state of every"
                        + " client with a matching subscription (QoS 0, 1 and 2 publishes to a QoS 2 subscription)");
            }
            secondConnectIsRefused(V311, "basic");
            wrongProtocolNameIsRefused(V311, "basic");
            return null;
        });
    }

    /** Retained messages of QoS 0, 1 and 2 reach a new subscription; zero-byte retained publishes delete them. */
    public CaseResult retainedMessages() {
        return run("retained_message", t -> {
            try (Paho3Session a = client(pub(), "retained_message", "a", true)) {
                publish(a, t.topic(1), "qos 0", 0, true);
                publish(a, t.topic(2), "qos 1", 1, true);
                publish(a, t.topic(3), "qos 2", 2, true);
            }
            try (Paho3Session s = client(sub(), "retained_message", "s", true)) {
                s.subscribe(t.wild(5), 2);
                List<Paho3Session.Message> got = awaitAtLeast(s::received, 3, "[MQTT-3.3.1-6] When a new subscription is"
                        + " established, the last retained message on each matching topic name MUST be sent to the subscriber");
                SpecViolation.require(got.stream().allMatch(Paho3Session.Message::retained),
                        "[MQTT-3.3.1-8] A retained message sent because of a new subscription MUST have RETAIN set to 1", got.toString());
            }
            try (Paho3Session a = client(pub(), "retained_message", "a", true)) {
                publish(a, t.topic(1), "", 0, true);
                publish(a, t.topic(2), "", 1, true);
                publish(a, t.topic(3), "", 2, true);
            }
            eventuallyNoRetained(t.wild(5), "retained_message");
            return null;
        });
    }

    /**
     * [MQTT-3.3.1-10/11]: after zero-byte retained publishes, a new subscriber gets nothing. Across
     * a mesh the deletes travel like any event, so a new subscriber is tried until the deletes have
     * arrived (up to the delivery wait); each try waits the quiet period.
     */
    private void eventuallyNoRetained(String filter, String caseName) throws Exception {
        long deadline = System.nanoTime() + waitFor().toNanos();
        List<Paho3Session.Message> last;
        int attempt = 0;
        do {
            try (Paho3Session s = client(sub(), caseName, "s" + ++attempt, true)) {
                s.subscribe(filter, 2);
                letPass(timing.quiet());
                last = s.received();
            }
        } while (!last.isEmpty() && System.nanoTime() < deadline);
        SpecViolation.require(last.isEmpty(), "[MQTT-3.3.1-10] A zero-byte retained PUBLISH removes the retained message"
                + " for its topic; [MQTT-3.3.1-11] it MUST NOT be stored", "a new subscription still got " + last);
    }

    /** QoS 1 and 2 messages are kept for a disconnected session with CleanSession 0 and delivered on reconnect. */
    public CaseResult offlineMessageQueueing() {
        return run("offline_message_queueing", t -> {
            try (Paho3Session a = client(sub(), "offline_message_queueing", "a", false)) {
                a.subscribe(t.wild(5), 2);
            }
            try (Paho3Session b = client(pub(), "offline_message_queueing", "b", true)) {
                publish(b, t.topic(1), "qos 0", 0, false);
                publish(b, t.topic(2), "qos 1", 1, false);
                publish(b, t.topic(3), "qos 2", 2, false);
            }
            try (Paho3Session a = client(sub(), "offline_message_queueing", "a", false)) {
                awaitAtLeast(a::received, 2, "[MQTT-3.1.2-5] After the disconnection of a Session with CleanSession 0 the"
                        + " Server MUST store further QoS 1 and QoS 2 messages that match its subscriptions");
                List<Paho3Session.Message> got = staysAtMost(a::received, 3, "each queued message is delivered once");
                Set<String> payloads = got.stream().map(Paho3Session.Message::payload).collect(Collectors.toSet());
                SpecViolation.require(payloads.containsAll(Set.of("qos 1", "qos 2")),
                        "[MQTT-3.1.2-5] QoS 1 and QoS 2 messages are kept for the offline session", got.toString());
                return got.size() == 3 ? "queues QoS 0 messages for offline clients" : "does not queue QoS 0 messages";
            }
        });
    }

    /** The will is published when the connection of a client that did not DISCONNECT is lost. */
    public CaseResult willMessage() {
        return run("will_message", t -> {
            try (Paho3Session b = client(sub(), "will_message", "b", false)) {
                b.subscribe(t.topic(2), 2);
                RawMqttClient a = RawMqttClient.connect(pub(), V311, RawMqttClient.Connect.of(clientId("will_message", "a"), true, 2)
                        .withWill(new RawMqttClient.Will(t.topic(2), "client not disconnected", 0, false, new RawProperties())), waitFor());
                a.terminate();
                String statement = "[MQTT-3.1.2-8] The Will Message MUST be published when the Network Connection is closed"
                        + " without a DISCONNECT";
                awaitAtLeast(b::received, 1, statement);
                staysAtMost(b::received, 1, statement + ", once");
            }
            return null;
        });
    }

    /** Overlapping subscriptions: one message at the highest QoS, or one per subscription at its QoS. */
    public CaseResult overlappingSubscriptions() {
        return run("overlapping_subscriptions", t -> {
            try (Paho3Session a = client(sub(), "overlapping_subscriptions", "a", true)) {
                a.subscribe(new String[] {t.wild(6), t.wild(0)}, new int[] {2, 1});
                Paho3Session publisher = publisherBeside(a, "overlapping_subscriptions");
                publish(publisher, t.topic(3), "overlapping topic filters", 2, false);
                closeIfOther(publisher, a);
                awaitAtLeast(a::received, 1, "[MQTT-3.3.5-1] The Server MUST deliver the message to the Client"
                        + " respecting the maximum QoS of all the matching subscriptions");
                List<Paho3Session.Message> got = staysAtMost(a::received, 2, "at most one message per matching subscription");
                List<Integer> qos = got.stream().map(Paho3Session.Message::qos).sorted().toList();
                SpecViolation.require(qos.equals(List.of(2)) || qos.equals(List.of(1, 2)),
                        "[MQTT-3.3.5-1] respecting the maximum QoS of all the matching subscriptions (one message at QoS 2,"
                                + " or one per subscription at QoS 2 and 1)", "QoS " + qos);
                return got.size() == 1 ? "one message for all overlapping subscriptions" : "one message per subscription";
            }
        });
    }

    /** A client silent past 1.5 x its keep alive is disconnected, and its will published. */
    public CaseResult keepalive() {
        return run("keepalive", t -> {
            // The subscriber first, so that a slow SUBACK cannot decide the case.
            try (Paho3Session b = client(sub(), "keepalive", "b", true)) {
                b.subscribe(t.topic(4), 2);
                RawMqttClient a = RawMqttClient.connect(pub(), V311, RawMqttClient.Connect.of(clientId("keepalive", "a"), true, 5)
                        .withWill(new RawMqttClient.Will(t.topic(4), "keepalive expiry", 0, false, new RawProperties())), waitFor());
                try (a) {
                    String statement = "[MQTT-3.1.2-24] If the Server does not receive a Control Packet within one and a half"
                            + " times the Keep Alive, it MUST disconnect the Client as if the network had failed (will published)";
                    awaitAtLeast(b::received, 1, statement);
                    staysAtMost(b::received, 1, statement + ", once");
                }
            }
            return null;
        });
    }

    /** Unacknowledged QoS 1 and 2 PUBLISHes are sent again when a CleanSession 0 client reconnects. */
    public CaseResult redeliveryOnReconnect() {
        return run("redelivery_on_reconnect", t -> {
            RawMqttClient.Connect session = RawMqttClient.Connect.of(clientId("redelivery_on_reconnect", "b"), false, 60);
            try (RawMqttClient b = RawMqttClient.connect(sub(), V311, session, waitFor())) {
                b.subscribe(t.wild(6), 2, new RawProperties());
                b.holdAcks(true);
                publishFrom(t, "redelivery_on_reconnect");
                awaitHeld(b, 2);
                b.disconnect();
            }
            try (RawMqttClient b = RawMqttClient.connect(sub(), V311, session, waitFor())) {
                List<RawMqttClient.Publish> got = awaitAtLeast(b::received, 2, "[MQTT-4.4.0-1] When a Client reconnects with"
                        + " CleanSession 0, the Server MUST re-send any unacknowledged PUBLISH packets (QoS > 0)");
                Set<String> topics = got.stream().map(RawMqttClient.Publish::topic).collect(Collectors.toSet());
                SpecViolation.require(topics.equals(Set.of(t.topic(1), t.topic(3))),
                        "[MQTT-4.4.0-1] the unacknowledged QoS 1 and QoS 2 messages are re-sent", got.toString());
                b.disconnect();
            }
            return null;
        });
    }

    private void publishFrom(Topics t, String caseName) throws Exception {
        try (Paho3Session publisher = client(pub(), caseName, "pub", true)) {
            publish(publisher, t.topic(1), "", 1, false);
            publish(publisher, t.topic(3), "", 2, false);
        }
    }

    /** A zero-length client id is refused with CleanSession 0 and accepted with CleanSession 1. */
    public CaseResult zeroLengthClientId() {
        return run("zero_length_clientid", t -> {
            try (RawMqttClient raw = RawMqttClient.open(pub(), V311, Duration.ofSeconds(10))) {
                RawMqttClient.Connack connack = raw.sendConnect(RawMqttClient.Connect.of("", false, 60));
                SpecViolation.require(connack == null || connack.code() == 0x02,
                        "[MQTT-3.1.3-8] A zero-byte ClientId with CleanSession 0 MUST get CONNACK 0x02 (Identifier rejected)",
                        "CONNACK " + connack);
            }
            try (RawMqttClient raw = RawMqttClient.open(pub(), V311, Duration.ofSeconds(10))) {
                RawMqttClient.Connack connack = raw.sendConnect(RawMqttClient.Connect.of("", true, 60));
                SpecViolation.require(connack != null && connack.code() == 0,
                        "[MQTT-3.1.3-6] A Server that allows a zero-byte ClientId assigns one (CleanSession 1 accepted)",
                        "CONNACK " + connack);
                raw.disconnect();
            }
            return null;
        });
    }

    /** A subscription the server does not allow is answered with SUBACK 0x80 (the suite's "nosubscribe" filter). */
    public CaseResult subscribeFailure() {
        return run("subscribe_failure", t -> {
            try (Paho3Session a = client(sub(), "subscribe_failure", "a", true)) {
                int[] granted = a.subscribe("nosubscribe", 2);
                SpecViolation.require(granted.length == 1 && granted[0] == 0x80,
                        "[MQTT-3.9.3] SUBACK return code 0x80 (Failure) for a filter the Server refuses (the suite expects"
                                + " 'nosubscribe' to be refused)", "granted " + java.util.Arrays.toString(granted));
            }
            return null;
        });
    }

    /** A filter starting with a wildcard does not match a topic starting with $. */
    public CaseResult dollarTopics() {
        return run("dollar_topics", t -> {
            String level = runId + "-dollar311";
            try (Paho3Session b = client(sub(), "dollar_topics", "b", true)) {
                b.subscribe("+/" + level, 2);
                try (Paho3Session publisher = client(pub(), "dollar_topics", "pub", true)) {
                    publisher.publish("$TopicA/" + level, "", 1, false);
                } catch (Exception refused) {
                    // A server may refuse $ topics from clients: nothing to match then.
                }
                try (Paho3Session marker = client(pub(), "dollar_topics", "marker", true)) {
                    publish(marker, "TopicA/" + level, "marker", 1, false);
                }
                awaitAtLeast(b::received, 1, "(control) a message on TopicA/" + level + " reaches the +/" + level + " subscription");
                List<Paho3Session.Message> got = staysAtMost(b::received, 1, "[MQTT-4.7.2-1] The Server MUST NOT match Topic"
                        + " Filters starting with a wildcard character (# or +) with Topic Names beginning with a $ character");
                SpecViolation.require(got.stream().noneMatch(m -> m.topic().startsWith("$")),
                        "[MQTT-4.7.2-1] The Server MUST NOT match Topic Filters starting with a wildcard with Topic Names"
                                + " beginning with $", got.toString());
            }
            return null;
        });
    }
}
