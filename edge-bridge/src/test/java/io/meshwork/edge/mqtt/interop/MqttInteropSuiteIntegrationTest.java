package io.meshwork.edge.mqtt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the MQTT interoperability suite against the broker named by the system property
 * {@value InteropTarget#BROKER_PROPERTY} (optionally with subscribers on
 * {@value InteropTarget#SUBSCRIBE_BROKER_PROPERTY}), e.g. a mesh started with {@code ./mesh up}:
 * <pre>
 * ./mvnw -o -pl edge-bridge -am verify -DskipTests=false -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=MqttInteropSuiteIntegrationTest -Dmqtt.interop.broker=127.0.0.1:11883 \
 *     -Dmqtt.interop.subscribe-broker=127.0.0.1:31883
 * </pre>
 * Without the property it runs against HiveMQ CE alone (the reference). The table goes to
 * {@code target/mqtt-interop/}.
 */
@Tag("integration")
@Timeout(1200)
class MqttInteropSuiteIntegrationTest {

    @Test
    void suiteRunsAgainstTheNamedBrokerOrHiveMqAlone() throws Exception {
        InteropTarget named = InteropTarget.fromSystemProperties();
        List<CaseResult> results;
        String column;
        if (named != null) {
            column = named.name();
            results = new InteropSuite(named, Timing.DEFAULT).runAll();
        } else {
            column = "HiveMQ CE alone";
            try (StandaloneHiveMq hivemq = StandaloneHiveMq.start()) {
                results = new InteropSuite(InteropTarget.oneBroker(column, hivemq.address()), Timing.DEFAULT).runAll();
            }
        }
        InteropTable table = new InteropTable().add(column, results);
        table.write(Path.of("target", "mqtt-interop", column.replaceAll("[^A-Za-z0-9.-]+", "_") + ".md"));
        System.out.println(table.markdown());

        assertThat(results).hasSize(37);
        assertThat(results).as("no case passed: is an MQTT broker listening at " + column + "?").anyMatch(CaseResult::passed);
    }
}
