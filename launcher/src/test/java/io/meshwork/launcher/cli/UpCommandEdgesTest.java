package io.meshwork.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.launcher.internal.EdgeProcess;
import io.meshwork.launcher.internal.PortPlan;
import io.meshwork.topology.Region;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code mesh up --edges N}: the port scheme and the refusal of a count it cannot serve. */
class UpCommandEdgesTest {

    private final Topology topology = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);

    @Test
    void edgeKServesTheRegionsPortsPlusKAndEdgeZeroKeepsTheContractPorts() {
        Region us = topology.region("us-east-1");
        assertThat(PortPlan.edgePorts(us, 0)).isEqualTo(new EdgeProcess.Ports(18080, 18090, 11883));
        assertThat(PortPlan.edgePorts(us, 2)).isEqualTo(new EdgeProcess.Ports(18082, 18092, 11885));
        assertThat(PortPlan.edgePorts(topology.region("ap-southeast-1"), 1)).isEqualTo(new EdgeProcess.Ports(38081, 38091, 31884));
    }

    @Test
    void tenEdgesPerRegionNeedNoPortTwice() {
        Map<Integer, String> ports = PortPlan.fixedPorts(topology, PortPlan.MAX_EDGES_PER_REGION);
        // 3 regions x (Kafka + 10 edges x 3 listeners) + the control plane, each port once.
        assertThat(ports).hasSize(3 * (1 + 10 * 3) + 1);
        Set<Integer> seen = new HashSet<>(ports.keySet());
        assertThat(seen).contains(8080, 19092, 18089, 18099, 11892, 38099);
    }

    @Test
    void anEdgeCountBeyondTheSchemeIsRefusedNamingTheFlag() {
        CliRun run = CliRun.mesh("up", "--edges", "11");
        assertThat(run.exitCode()).isEqualTo(MeshCli.CONFIG_ERROR);
        assertThat(run.err()).contains("--edges must be within 1..10, got 11");
    }
}
