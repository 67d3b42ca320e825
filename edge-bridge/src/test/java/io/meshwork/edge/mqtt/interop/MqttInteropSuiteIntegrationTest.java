package io.meshwork.edge.mqtt.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs the MQTT interoperability suite against the broker named by the system property
 * {@value InteropTarget#BROKER_PROPERTY} (optionally with subscribers on
 * {@value InteropTarget#SUBSCRIBE_BROKER_PROPERTY}), e.g. a mesh started with {@code ./mesh up}:
 * <pre>
 * ./mvnw -o -pl edge-bridge -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=MqttInteropSuiteIntegrationTest \
 *     -Dmqtt.interop.broker=127.0.0.1:11883 -Dmqtt.interop.subscribe-broker=127.0.0.1:31883
 * </pre>
 * The table goes to {@code edge-bridge/target/mqtt-interop/}. Without the property the test is
 * skipped; the launcher's {@code MqttInteropSuiteOnMeshIntegrationTest} compares HiveMQ CE alone
 * with the embedded mesh.
 */
@Tag("integration")
@Timeout(1800)
@EnabledIfSystemProperty(named = InteropTarget.BROKER_PROPERTY, matches = ".+")
class MqttInteropSuiteIntegrationTest {

    @Test
    void suiteRunsAgainstTheNamedBroker() throws Exception {
        InteropTarget target = InteropTarget.fromSystemProperties();
        List<CaseResult> results = new InteropSuite(target, Timing.DEFAULT).runAll();
        InteropTable table = new InteropTable().add(target.name(), results);
        table.write(Path.of("target", "mqtt-interop", target.name().replaceAll("[^A-Za-z0-9.-]+", "_") + ".md"));
        System.out.println(table.markdown());

        assertThat(results).hasSize(37);
        assertThat(results).as("no case passed: is an MQTT broker listening at " + target.name() + "?").anyMatch(CaseResult::passed);
    }
}
