package io.meshwork.edge.mqtt.interop;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What every case class shares: the target, the waits, names that keep runs apart (a run id in
 * every topic and client id, so the suite can run against a broker that is also serving others),
 * and the two kinds of wait: a condition up to {@link Timing#delivery()}, and a bounded
 * {@link Timing#quiet()} for what must not arrive.
 */
abstract class CaseGroup {

    /** Paho's topic names, under a per-case prefix. */
    record Topics(String prefix) {
        private static final List<String> NAMES = List.of("TopicA", "TopicA/B", "Topic/C", "TopicA/C", "/TopicA");
        private static final List<String> FILTERS = List.of("TopicA/+", "+/C", "#", "/#", "/+", "+/+", "TopicA/#");

        String topic(int i) {
            return prefix + NAMES.get(i);
        }

        String wild(int i) {
            return prefix + FILTERS.get(i);
        }
    }

    @FunctionalInterface
    interface Body {
        /** Runs the case; returns a note for the report (may be null), throws {@link SpecViolation} on failure. */
        String run(Topics topics) throws Exception;
    }

    protected final InteropTarget target;
    protected final Timing timing;
    protected final String runId;
    private final String version;

    CaseGroup(InteropTarget target, Timing timing, String runId, String version) {
        this.target = target;
        this.timing = timing;
        this.runId = runId;
        this.version = version;
    }

    /** Runs one case; any exception other than a {@link SpecViolation} fails it with what went wrong. */
    protected CaseResult run(String name, Body body) {
        Topics topics = new Topics("interop/" + runId + "/" + version.replace('.', '_') + "/" + name + "/");
        try {
            return CaseResult.pass(version, name, body.run(topics));
        } catch (SpecViolation violation) {
            return CaseResult.fail(version, name, violation.getMessage());
        } catch (Exception | AssertionError e) {
            return CaseResult.fail(version, name, "the case could not complete: " + e);
        }
    }

    protected BrokerAddress pub() {
        return target.publishSide();
    }

    protected BrokerAddress sub() {
        return target.subscribeSide();
    }

    /**
     * A client id of this run, version and case: the MQTT 3.1.1 and 5 cases of one name run at
     * the same time, and one id for both would have each take over the other's session.
     */
    protected String clientId(String caseName, String role) {
        return runId + "-" + version.replace('.', '_') + "-" + caseName + "-" + role;
    }

    protected Duration waitFor() {
        return timing.delivery();
    }

    /** Waits until {@code list} has at least {@code count} entries, else fails with {@code statement}. */
    protected <T> List<T> awaitAtLeast(Supplier<List<T>> list, int count, String statement) {
        try {
            await().atMost(timing.delivery()).pollInterval(Duration.ofMillis(20)).until(() -> list.get().size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new SpecViolation(statement + "; observed: " + list.get().size() + " of " + count + " within "
                    + timing.delivery().toSeconds() + " s: " + list.get());
        }
        return list.get();
    }

    /**
     * Checks that {@code list} stays at (at most) {@code count} entries for the whole quiet period:
     * the bounded wait behind every "must not be delivered".
     */
    protected <T> List<T> staysAtMost(Supplier<List<T>> list, int count, String statement) {
        try {
            await().during(timing.quiet()).atMost(timing.quiet().plusSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> list.get().size() <= count);
        } catch (ConditionTimeoutException e) {
            throw new SpecViolation(statement + "; observed within " + timing.quiet().toMillis() + " ms: " + list.get());
        }
        return list.get();
    }

    /** The statement a publish of this QoS relies on, for a publish the server refused. */
    static String flowStatement(int qos, boolean retained) {
        String flow = switch (qos) {
            case 0 -> "[MQTT-4.3.1] QoS 0 delivery";
            case 1 -> "[MQTT-4.3.2] QoS 1 delivery: the Server acknowledges with PUBACK";
            default -> "[MQTT-4.3.3] QoS 2 delivery: the Server acknowledges with PUBREC and PUBCOMP";
        };
        return retained ? flow + " of a retained message ([MQTT-3.3.1-5] the Server MUST store it)" : flow;
    }

    /**
     * Gives messages a bounded time (the quiet period) to reach a client that holds its acks;
     * not reaching it is no failure, since what is not sent before a disconnect must be queued.
     */
    protected void awaitHeld(RawMqttClient client, int count) {
        try {
            await().atMost(timing.quiet()).pollInterval(Duration.ofMillis(20)).until(() -> client.received().size() >= count);
        } catch (ConditionTimeoutException notYet) {
            // Queued for the session instead: the reconnect checks it.
        }
    }

    /** Lets {@code time} pass, for cases whose subject is time itself (expiry intervals, delays). */
    protected static void letPass(Duration time) {
        await().pollDelay(time).atMost(time.plusSeconds(5)).until(() -> true);
    }

    /** [MQTT-3.1.0-2]: a second CONNECT on one network connection is a protocol violation. */
    protected void secondConnectIsRefused(int protocolVersion, String caseName) throws Exception {
        RawMqttClient.Connect connect = RawMqttClient.Connect.of(clientId(caseName, "twice"), true, 60);
        try (RawMqttClient raw = RawMqttClient.connect(sub(), protocolVersion, connect, Duration.ofSeconds(5))) {
            RawMqttClient.Connack second = raw.sendConnect(connect);
            boolean closed = awaitClosed(raw);
            SpecViolation.require(second == null || second.code() != 0 || closed,
                    "[MQTT-3.1.0-2] The Server MUST process a second CONNECT packet sent from a Client as a Protocol Error"
                            + " and close the Network Connection",
                    "second CONNACK " + second + ", connection " + (closed ? "closed" : "still open"));
            SpecViolation.require(closed, "[MQTT-3.1.0-2] ... and close the Network Connection",
                    "the connection stayed open after the second CONNECT");
        }
    }

    /** [MQTT-3.1.2-1]: a CONNECT whose protocol name is not "MQTT" is not accepted. */
    protected void wrongProtocolNameIsRefused(int protocolVersion, String caseName) throws Exception {
        try (RawMqttClient raw = RawMqttClient.open(sub(), protocolVersion, Duration.ofSeconds(5))) {
            RawMqttClient.Connack connack = raw.sendConnect(
                    RawMqttClient.Connect.of(clientId(caseName, "hj"), true, 60).withProtocolName("hj"));
            SpecViolation.require(connack == null || connack.code() != 0,
                    "[MQTT-3.1.2-1] The protocol name MUST be the UTF-8 String \"MQTT\"; a Server that does not accept"
                            + " the CONNECT does not process it as MQTT",
                    "CONNECT with protocol name \"hj\" was accepted (CONNACK code 0)");
        }
    }

    private boolean awaitClosed(RawMqttClient raw) {
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(raw::isClosed);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
