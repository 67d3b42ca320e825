package io.meshwork.edge.mqtt.interop;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * The MQTT 5 cases of Paho's {@code client_test5.py} about what a message carries: user
 * properties, payload format and content type, message expiry, subscription options, assigned
 * client ids, subscription identifiers, request/response.
 */
public final class Mqtt5MessageCases extends Mqtt5Group {

    public Mqtt5MessageCases(InteropTarget target, Timing timing, String runId) {
        super(target, timing, runId);
    }

    /** Publishes the same empty message at QoS 0, 1 and 2 to t0 and returns the three deliveries. */
    private List<Paho5Session.Message> threeQos(Topics t, String caseName, MqttProperties properties) throws Exception {
        try (Paho5Session a = client(sub(), caseName, "a")) {
            a.subscribe(t.topic(0), 2);
            Paho5Session publisher = publisherBeside(a, caseName);
            for (int qos = 0; qos < 3; qos++) {
                publish(publisher, t.topic(0), new byte[0], qos, false, properties);
            }
            closeIfOther(publisher, a);
            List<Paho5Session.Message> got = awaitAtLeast(a::received, 3, "[MQTT-4.5.0-1] the three publishes are delivered");
            requireQos012(got);
            return got;
        }
    }

    public CaseResult userProperties() {
        return run("user_properties", t -> {
            List<Paho5Session.Message> got = threeQos(t, "user_properties", suiteUserProperties());
            SpecViolation.require(got.stream().allMatch(m -> hasSuiteUserProperties(m.userProperties())),
                    "[MQTT-3.3.2-17] The Server MUST send all User Properties unaltered in a PUBLISH packet when forwarding"
                            + " the Application Message", describe(got));
            return null;
        });
    }

    public CaseResult payloadFormat() {
        return run("payload_format", t -> {
            MqttProperties properties = new MqttProperties();
            properties.setPayloadFormat(true);
            properties.setContentType("My name");
            List<Paho5Session.Message> got = threeQos(t, "payload_format", properties);
            for (Paho5Session.Message m : got) {
                SpecViolation.require(m.properties() != null && m.properties().getPayloadFormat(),
                        "[MQTT-3.3.2-4] A Server MUST send the Payload Format Indicator unaltered to all subscribers", describe(got));
                SpecViolation.require("My name".equals(m.properties().getContentType()),
                        "[MQTT-3.3.2-20] A Server MUST send the Content Type unaltered to all subscribers",
                        "content type " + m.properties().getContentType());
            }
            return null;
        });
    }

    public CaseResult publicationExpiry() {
        return run("publication_expiry", t -> {
            try (Paho5Session b = client(sub(), "publication_expiry", "b", o -> o.setSessionExpiryInterval(99_999L))) {
                b.subscribe(t.topic(0), 2);
                MqttProperties longer = new MqttProperties();
                longer.setSessionExpiryInterval(999_999_999L);
                b.disconnect(longer);
            }
            try (Paho5Session a = client(pub(), "publication_expiry", "a")) {
                for (long expiry : new long[] {1, 6}) {
                    MqttProperties properties = new MqttProperties();
                    properties.setMessageExpiryInterval(expiry);
                    String label = expiry == 1 ? "expire" : "don't expire";
                    publish(a, t.topic(0), ("qos 1 - " + label).getBytes(StandardCharsets.UTF_8), 1, false, properties);
                    publish(a, t.topic(0), ("qos 2 - " + label).getBytes(StandardCharsets.UTF_8), 2, false, properties);
                }
            }
            letPass(java.time.Duration.ofSeconds(3));
            try (Paho5Session b = client(sub(), "publication_expiry", "b", o -> o.setCleanStart(false))) {
                awaitAtLeast(b::received, 2, "[MQTT-4.1.0] the unexpired messages are kept for the offline session");
                List<Paho5Session.Message> got = staysAtMost(b::received, 2, "[MQTT-3.3.2-5] If the Message Expiry Interval"
                        + " has passed before onward delivery started, the Server MUST delete the copy for that subscriber");
                SpecViolation.require(got.stream().allMatch(m -> new String(m.payload(), StandardCharsets.UTF_8).endsWith("don't expire")),
                        "[MQTT-3.3.2-5] expired messages are not delivered", describe(got));
                for (Paho5Session.Message m : got) {
                    Long left = m.properties() == null ? null : m.properties().getMessageExpiryInterval();
                    SpecViolation.require(left != null && left < 6, "[MQTT-3.3.2-6] The PUBLISH sent to a Client MUST contain a"
                            + " Message Expiry Interval set to the received value minus the time it waited in the Server",
                            "Message Expiry Interval " + left);
                }
            }
            return null;
        });
    }

    public CaseResult subscribeOptions() {
        return run("subscribe_options", t -> {
            noLocal(t);
            retainAsPublished(t);
            try {
                retainHandling(t);
            } finally {
                clearRetained(t.topic(0), t.topic(1), t.topic(2), t.topic(3));
            }
            return null;
        });
    }

    private void noLocal(Topics t) throws Exception {
        try (Paho5Session a = client(pub(), "subscribe_options", "a");
             Paho5Session b = client(sub(), "subscribe_options", "b")) {
            MqttSubscription noLocal = new MqttSubscription(t.topic(0), 2);
            noLocal.setNoLocal(true);
            a.subscribe(new MqttProperties(), noLocal);
            b.subscribe(new MqttProperties(), noLocal);
            publish(a, t.topic(0), "noLocal test", 1, false);
            awaitAtLeast(b::received, 1, "[MQTT-4.5.0-1] the other client's No Local subscription gets the message");
            staysAtMost(a::received, 0, "[MQTT-3.8.3-3] With No Local 1, Application Messages MUST NOT be forwarded to a"
                    + " connection with a ClientID equal to the ClientID of the publishing connection");
        }
    }

    private void retainAsPublished(Topics t) throws Exception {
        try (Paho5Session a = client(sub(), "subscribe_options", "a")) {
            MqttSubscription asPublished = new MqttSubscription(t.topic(0), 2);
            asPublished.setRetainAsPublished(true);
            a.subscribe(new MqttProperties(), asPublished);
            Paho5Session publisher = publisherBeside(a, "subscribe_options");
            publish(publisher, t.topic(0), "retain as published false", 1, false);
            publish(publisher, t.topic(0), "retain as published true", 1, true);
            closeIfOther(publisher, a);
            List<Paho5Session.Message> got = awaitAtLeast(a::received, 2, "[MQTT-4.5.0-1] both messages are delivered");
            got = staysAtMost(a::received, 2, "each message is delivered once");
            for (Paho5Session.Message m : got) {
                boolean published = new String(m.payload(), StandardCharsets.UTF_8).endsWith("true");
                SpecViolation.require(m.retained() == published, "[MQTT-3.3.1-13] With Retain As Published 1, the Server MUST"
                        + " set the RETAIN flag equal to the RETAIN flag in the received PUBLISH", describe(got));
            }
        }
    }

    private void retainHandling(Topics t) throws Exception {
        try (Paho5Session a = client(pub(), "subscribe_options", "p")) {
            publish(a, t.topic(1), "qos 0", 0, true);
            publish(a, t.topic(2), "qos 1", 1, true);
            publish(a, t.topic(3), "qos 2", 2, true);
        }
        try (Paho5Session a = client(sub(), "subscribe_options", "rh1")) {
            subscribeAndCount(a, t, 1, 3, "[MQTT-3.3.1-10] With Retain Handling 1 the Server MUST send the retained messages"
                    + " if the subscription did not exist");
            subscribeAndCount(a, t, 1, 0, "[MQTT-3.3.1-10] With Retain Handling 1 the Server MUST NOT send retained messages"
                    + " if the subscription already existed");
        }
        try (Paho5Session a = client(sub(), "subscribe_options", "rh2")) {
            subscribeAndCount(a, t, 2, 0, "[MQTT-3.3.1-11] With Retain Handling 2 the Server MUST NOT send retained messages");
            subscribeAndCount(a, t, 2, 0, "[MQTT-3.3.1-11] With Retain Handling 2 the Server MUST NOT send retained messages");
        }
        try (Paho5Session a = client(sub(), "subscribe_options", "rh0")) {
            subscribeAndCount(a, t, 0, 3, "[MQTT-3.3.1-9] With Retain Handling 0 the Server MUST send the retained messages");
            subscribeAndCount(a, t, 0, 3, "[MQTT-3.3.1-9] With Retain Handling 0 the Server MUST send the retained messages"
                    + " (again on a repeated subscription)");
        }
    }

    /** Subscribes to t +/+ with the Retain Handling and checks that exactly {@code expected} more messages arrive, QoS 0, 1 and 2. */
    private void subscribeAndCount(Paho5Session a, Topics t, int retainHandling, int expected, String statement) throws Exception {
        int before = a.received().size();
        MqttSubscription subscription = new MqttSubscription(t.wild(5), 2);
        subscription.setRetainHandling(retainHandling);
        a.subscribe(new MqttProperties(), subscription);
        if (expected > 0) {
            awaitAtLeast(a::received, before + expected, statement);
        }
        List<Paho5Session.Message> got = staysAtMost(a::received, before + expected, statement + " (no more than "
                + expected + ")");
        List<Paho5Session.Message> fresh = got.subList(before, got.size());
        if (expected > 0) {
            requireQos012(fresh);
        }
    }

    public CaseResult assignedClientId() {
        return run("assigned_clientid", t -> {
            try (Paho5Session client = Paho5Session.connect(pub(), "", waitFor())) {
                MqttProperties connack = client.connackProperties();
                String assigned = connack == null ? null : connack.getAssignedClientIdentifier();
                SpecViolation.require(assigned != null && !assigned.isEmpty(), "[MQTT-3.2.2-16] A Client that connects with a"
                        + " zero-length ClientID MUST get a CONNACK containing an Assigned Client Identifier", "CONNACK " + connack);
            }
            return null;
        });
    }

    public CaseResult subscriptionIdentifiers() {
        return run("subscribe_identifiers", t -> {
            try (RawMqttClient a = raw(sub(), RawMqttClient.Connect.of(clientId("subscribe_identifiers", "a"), true, 60));
                 RawMqttClient b = raw(sub(), RawMqttClient.Connect.of(clientId("subscribe_identifiers", "b"), true, 60))) {
                a.subscribe(t.topic(0), 2, new RawProperties().with(RawProperties.SUBSCRIPTION_ID, 456_789));
                b.subscribe(t.topic(0), 2, new RawProperties().with(RawProperties.SUBSCRIPTION_ID, 2));
                b.subscribe(t.topic(0) + "/#", 2, new RawProperties().with(RawProperties.SUBSCRIPTION_ID, 3));
                if (target.isSplit()) {
                    try (Paho5Session publisher = client(pub(), "subscribe_identifiers", "pub")) {
                        publish(publisher, t.topic(0), "sub identifier test", 1, false);
                    }
                } else {
                    publish(b, t.topic(0), "sub identifier test", 1, false, new RawProperties());
                }
                List<RawMqttClient.Publish> toA = awaitAtLeast(a::received, 1, "[MQTT-4.5.0-1] the message is delivered");
                SpecViolation.require(toA.get(0).properties().all(RawProperties.SUBSCRIPTION_ID).equals(List.of(456_789)),
                        "[MQTT-3.3.4-3] The Server MUST send the Subscription Identifier of the matching subscription in the"
                                + " PUBLISH", toA.toString());
                awaitAtLeast(b::received, 1, "[MQTT-4.5.0-1] the message is delivered to overlapping subscriptions");
                List<RawMqttClient.Publish> toB = staysAtMost(b::received, 2, "at most one copy per subscription");
                Set<Object> ids = new HashSet<>();
                toB.forEach(p -> ids.addAll(p.properties().all(RawProperties.SUBSCRIPTION_ID)));
                boolean oneCopy = toB.size() == 1 && toB.get(0).properties().all(RawProperties.SUBSCRIPTION_ID).size() == 2;
                boolean copyEach = toB.size() == 2 && toB.stream().allMatch(p -> p.properties().all(RawProperties.SUBSCRIPTION_ID).size() == 1);
                SpecViolation.require(ids.equals(Set.of(2, 3)) && (oneCopy || copyEach), "[MQTT-3.3.4-4] One copy for overlapping"
                        + " subscriptions MUST carry all their Subscription Identifiers; [MQTT-3.3.4-5] one copy each carries its own",
                        toB.toString());
            }
            return null;
        });
    }

    public CaseResult requestResponse() {
        return run("request_response", t -> {
            try (Paho5Session a = client(pub(), "request_response", "a");
                 Paho5Session b = client(sub(), "request_response", "b")) {
                MqttSubscription noLocal = new MqttSubscription(t.topic(0), 2);
                noLocal.setNoLocal(true);
                a.subscribe(new MqttProperties(), noLocal);
                b.subscribe(new MqttProperties(), noLocal);
                MqttProperties request = new MqttProperties();
                request.setResponseTopic(t.topic(0));
                request.setCorrelationData("334".getBytes(StandardCharsets.UTF_8));
                publish(a, t.topic(0), "request".getBytes(StandardCharsets.UTF_8), 1, false, request);
                Paho5Session.Message got = awaitAtLeast(b::received, 1, "[MQTT-4.5.0-1] the responder gets the request").get(0);
                MqttProperties seen = got.properties() == null ? new MqttProperties() : got.properties();
                SpecViolation.require(t.topic(0).equals(seen.getResponseTopic()), "[MQTT-3.3.2-15] The Server MUST send the"
                        + " Response Topic unaltered to all subscribers", "Response Topic " + seen.getResponseTopic());
                SpecViolation.require(Arrays.equals("334".getBytes(StandardCharsets.UTF_8), seen.getCorrelationData()),
                        "[MQTT-3.3.2-16] The Server MUST send the Correlation Data unaltered to all subscribers",
                        "Correlation Data " + (seen.getCorrelationData() == null ? null : new String(seen.getCorrelationData(), StandardCharsets.UTF_8)));
                MqttProperties response = new MqttProperties();
                response.setCorrelationData(seen.getCorrelationData());
                publish(b, seen.getResponseTopic(), "response".getBytes(StandardCharsets.UTF_8), 1, false, response);
                List<Paho5Session.Message> answers = awaitAtLeast(a::received, 1, "[MQTT-4.10] the requester gets the response"
                        + " on its Response Topic");
                SpecViolation.require(answers.stream().anyMatch(m -> new String(m.payload(), StandardCharsets.UTF_8).equals("response")),
                        "[MQTT-4.10] the requester gets the response on its Response Topic", describe(answers));
            }
            return null;
        });
    }
}
