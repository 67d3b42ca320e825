package io.meshwork.edge.mqtt.interop;

import java.util.List;
import java.util.function.Consumer;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/** What the MQTT 5 case classes share: Paho 5 and raw connections, and publishing that names the QoS flow it needs. */
abstract class Mqtt5Group extends CaseGroup {

    static final String VERSION = "5";
    static final int V5 = 5;
    static final List<UserProperty> SUITE_USER_PROPERTIES = List.of(new UserProperty("a", "2"), new UserProperty("c", "3"));

    Mqtt5Group(InteropTarget target, Timing timing, String runId) {
        super(target, timing, runId, VERSION);
    }

    protected Paho5Session client(BrokerAddress side, String caseName, String role) throws Exception {
        return Paho5Session.connect(side, clientId(caseName, role), waitFor());
    }

    protected Paho5Session client(BrokerAddress side, String caseName, String role, Consumer<MqttConnectionOptions> settings)
            throws Exception {
        return Paho5Session.connect(side, clientId(caseName, role), waitFor(), settings);
    }

    protected RawMqttClient raw(BrokerAddress side, RawMqttClient.Connect connect) throws Exception {
        return RawMqttClient.connect(side, V5, connect, waitFor());
    }

    /** The subscriber itself when there is one broker (as in Paho's suite), else a client on the publish side. */
    protected Paho5Session publisherBeside(Paho5Session subscriber, String caseName) throws Exception {
        return target.isSplit() ? client(pub(), caseName, "pub") : subscriber;
    }

    protected static void closeIfOther(Paho5Session publisher, Paho5Session subscriber) throws Exception {
        if (publisher != subscriber) {
            publisher.close();
        }
    }

    /** Publishes; a refused or failed QoS flow fails the case naming the flow. */
    protected static void publish(Paho5Session client, String topic, byte[] payload, int qos, boolean retained,
                                  MqttProperties properties) {
        try {
            client.publish(topic, payload, qos, retained, properties);
        } catch (Exception e) {
            throw new SpecViolation(flowStatement(qos, retained) + "; observed: the PUBLISH failed: " + e);
        }
    }

    protected static void publish(Paho5Session client, String topic, String payload, int qos, boolean retained) {
        publish(client, topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained, new MqttProperties());
    }

    /** Publishes on a raw connection; a refused or failed QoS flow fails the case naming the flow. */
    protected static void publish(RawMqttClient client, String topic, String payload, int qos, boolean retained,
                                  RawProperties properties) throws Exception {
        int code = client.publish(topic, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8), qos, retained, properties);
        SpecViolation.require(code >= 0 && code < 0x80, flowStatement(qos, retained),
                code < 0 ? "the connection closed (DISCONNECT 0x" + Integer.toHexString(client.serverDisconnect()) + ")"
                        : "reason code 0x" + Integer.toHexString(code));
    }

    /** Deletes retained messages the case left (not a check: Paho's cleanRetained). */
    protected void clearRetained(String... topics) {
        try (Paho5Session a = client(pub(), "cleanup", "r")) {
            for (String topic : topics) {
                a.publish(topic, "", 0, true);
            }
        } catch (Exception ignored) {
            // A server without retained messages has nothing to clear.
        }
    }

    /**
     * Paho's suite publishes at QoS 0, 1 and 2 to a QoS 2 subscription and expects all three QoS
     * back. Its Python client sends QoS 2 regardless, so a Server with Maximum QoS 1 fails there
     * with a DISCONNECT; Paho Java quietly downgrades instead ([MQTT-3.2.2-11]), which this check
     * catches.
     */
    protected static void requireQos012(List<Paho5Session.Message> got) {
        java.util.Set<Integer> qos = got.stream().map(Paho5Session.Message::qos).collect(java.util.stream.Collectors.toSet());
        SpecViolation.require(qos.equals(java.util.Set.of(0, 1, 2)), "[MQTT-3.8.4-8] The QoS of a delivered message is the"
                + " minimum of the published and the granted QoS: QoS 0, 1 and 2 publishes to a QoS 2 subscription arrive at"
                + " QoS 0, 1 and 2 ([MQTT-4.3.3] QoS 2 supported)", describe(got));
    }

    protected static MqttProperties suiteUserProperties() {
        MqttProperties properties = new MqttProperties();
        properties.setUserProperties(SUITE_USER_PROPERTIES);
        return properties;
    }

    /** True when the user properties are exactly the suite's two, in either order (as Paho's suite accepts). */
    protected static boolean hasSuiteUserProperties(List<UserProperty> properties) {
        return properties.size() == 2 && properties.containsAll(SUITE_USER_PROPERTIES);
    }

    protected static String describe(List<Paho5Session.Message> messages) {
        return messages.toString();
    }
}
