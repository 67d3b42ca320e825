package io.meshwork.launcher.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.edge.mqtt.interop.BrokerAddress;
import io.meshwork.edge.mqtt.interop.InteropSuite;
import io.meshwork.edge.mqtt.interop.InteropTable;
import io.meshwork.edge.mqtt.interop.InteropTarget;
import io.meshwork.edge.mqtt.interop.StandaloneHiveMq;
import io.meshwork.edge.mqtt.interop.Timing;
import io.meshwork.launcher.EmbeddedMesh;
import io.meshwork.launcher.SharedMesh;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14's "done when": the MQTT interoperability suite (Paho's 10 MQTT 3.1.1 and 27 MQTT 5
 * cases, in Java) on HiveMQ CE alone, then on the embedded mesh's edge: every client on
 * us-east-1's edge, and publishers on us-east-1 with subscribers on ap-southeast-1. The table
 * is printed and written to {@code target/mqtt-interop/mesh.md}. The cases of each run overlap
 * ({@link InteropSuite#runAll()}), and the mesh is the run's {@link SharedMesh}.
 */
@Tag("integration")
@Timeout(3600)
class MqttInteropSuiteOnMeshIntegrationTest {

    static final String HIVEMQ = "HiveMQ CE alone";
    static final String ONE_REGION = "mesh, one region";
    static final String CROSS_REGION = "mesh, us-east-1 -> ap-southeast-1";

    /**
     * The mesh delivers in-region in milliseconds and across regions in well under a second; the
     * cases it fails (those HiveMQ CE fails alone) wait out the delivery time, and the longest case
     * is a row of quiet periods, each begun once a marker sent behind the unwanted message arrived.
     */
    private static final Timing MESH = new Timing(Duration.ofSeconds(10), Duration.ofMillis(1500));
    /** HiveMQ CE alone delivers within milliseconds on this machine: 10 s is ample, and keeps CI shorter. */
    private static final Timing REFERENCE = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(3));
    private static final InteropTable TABLE = new InteropTable();

    @RegisterExtension
    static final SharedMesh SHARED = new SharedMesh();

    @BeforeAll
    static void runSuiteOnEveryTarget() throws Exception {
        try (StandaloneHiveMq hivemq = StandaloneHiveMq.start()) {
            TABLE.add(HIVEMQ, new InteropSuite(InteropTarget.oneBroker(HIVEMQ, hivemq.address()), REFERENCE).runAll());
        }
        EmbeddedMesh mesh = SHARED.mesh();
        BrokerAddress us = new BrokerAddress("127.0.0.1", mesh.region("us-east-1").mqttPort());
        BrokerAddress ap = new BrokerAddress("127.0.0.1", mesh.region("ap-southeast-1").mqttPort());
        TABLE.add(ONE_REGION, new InteropSuite(InteropTarget.oneBroker(ONE_REGION, us), MESH).runAll());
        TABLE.add(CROSS_REGION, new InteropSuite(InteropTarget.split(CROSS_REGION, us, ap), MESH).runAll());
        TABLE.write(Path.of("target", "mqtt-interop", "mesh.md"));
        System.out.println(TABLE.markdown());
    }

    @Test
    void everyCaseRanOnEveryTarget() {
        for (String column : new String[] {HIVEMQ, ONE_REGION, CROSS_REGION}) {
            assertThat(TABLE.total(column, "3.1.1")).as(column).isEqualTo(10);
            assertThat(TABLE.total(column, "5")).as(column).isEqualTo(27);
        }
    }

    @Test
    void meshPassesAtLeastAsManyMqtt311CasesAsHiveMqAlone() {
        meshPassesAtLeastAsManyAsHiveMq("3.1.1");
    }

    @Test
    void meshPassesAtLeastAsManyMqtt5CasesAsHiveMqAlone() {
        meshPassesAtLeastAsManyAsHiveMq("5");
    }

    @Test
    void acrossRegionsTheMeshPassesWhatItPassesInOneRegionBarTheRetainedPropagationWindow() {
        for (String version : new String[] {"3.1.1", "5"}) {
            java.util.Set<String> expected = new java.util.LinkedHashSet<>(TABLE.passedCases(ONE_REGION, version));
            expected.removeAll(PROPAGATION_WINDOW);
            assertThat(TABLE.passedCases(CROSS_REGION, version)).as("MQTT %s cases passed across regions\n%s", version, TABLE.markdown())
                    .containsAll(expected);
        }
    }

    /**
     * The measure: the suite as a user runs it, every client on one broker (one region's
     * edge), passes at least as many cases as HiveMQ CE alone.
     */
    private static void meshPassesAtLeastAsManyAsHiveMq(String version) {
        long reference = TABLE.passed(HIVEMQ, version);
        assertThat(TABLE.passed(ONE_REGION, version)).as("MQTT %s cases passed in one region\n%s", version, TABLE.markdown())
                .isGreaterThanOrEqualTo(reference);
    }

    /**
     * Cases that publish retained messages and subscribe from another region right away: the
     * retained records reach the subscriber's region some 100 ms to 1 s later (the relay across
     * the link), and one that arrives after the subscription was made is kept for later
     * subscribers but not sent to that one (docs/ARCHITECTURE.md, "Retained messages, mesh-wide").
     * They pass or fail across regions by timing, so they are reported, not asserted.
     */
    private static final java.util.Set<String> PROPAGATION_WINDOW = java.util.Set.of("retained_message");
}
