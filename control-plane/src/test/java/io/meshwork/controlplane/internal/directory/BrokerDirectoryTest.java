package io.meshwork.controlplane.internal.directory;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.controlplane.TestDatabases;
import io.meshwork.controlplane.internal.db.ControlPlaneDatabase;
import io.meshwork.core.directory.NodeHeartbeat;
import io.meshwork.core.directory.NodeRole;
import io.meshwork.core.directory.NodeStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BrokerDirectoryTest {

    private static ControlPlaneDatabase database;
    private static BrokerDirectory directory;

    @BeforeAll
    static void open() {
        database = ControlPlaneDatabase.open(TestDatabases.fresh());
        directory = new BrokerDirectory(database.dsl());
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private static NodeHeartbeat beat(String name, String region, int connections, double cpu, long ageMs) {
        return new NodeHeartbeat(name, NodeRole.EDGE, region, "10.0.0.1", "http://10.0.0.1:18080", NodeStatus.ACTIVE, connections,
                cpu, System.currentTimeMillis() - ageMs);
    }

    @Test
    void registersANodeAtItsFirstHeartbeatAndRefreshesItAfterwards() {
        directory.heartbeat(beat("edge-a1", "region-a", 3, 12.5, 0));
        directory.heartbeat(beat("edge-a1", "region-a", 7, 40.25, 0));
        var nodes = directory.list("region-a", null);
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).getActiveConnectionsCount()).isEqualTo(7);
        assertThat(nodes.get(0).getCpuUtilization().doubleValue()).isEqualTo(40.25);
        assertThat(nodes.get(0).getBrokerStatus()).isEqualTo("ACTIVE");
    }

    @Test
    void marksNodeOfflineAfterMissedHeartbeats() {
        directory.heartbeat(beat("edge-b-silent", "region-b", 0, 1, 10_000));
        directory.heartbeat(beat("edge-b-alive", "region-b", 0, 1, 0));
        assertThat(directory.expire(Duration.ofSeconds(5))).contains("edge-b-silent").doesNotContain("edge-b-alive");
        assertThat(directory.list("region-b", NodeStatus.OFFLINE)).extracting(r -> r.getBrokerName()).containsExactly("edge-b-silent");
        assertThat(directory.list("region-b", NodeStatus.ACTIVE)).extracting(r -> r.getBrokerName()).containsExactly("edge-b-alive");
        // A node that speaks again is back.
        directory.heartbeat(beat("edge-b-silent", "region-b", 0, 1, 0));
        assertThat(directory.list("region-b", NodeStatus.ACTIVE)).hasSize(2);
    }

    @Test
    void aReplayedOldHeartbeatDoesNotMakeANodeLookAlive() {
        directory.heartbeat(beat("edge-c1", "region-c", 0, 1, 0));
        directory.heartbeat(beat("edge-c1", "region-c", 0, 1, 60_000));
        assertThat(directory.expire(Duration.ofSeconds(5))).doesNotContain("edge-c1");
    }

    @Test
    void handsOutTheLeastLoadedActiveEdgeOfTheRegion() {
        directory.heartbeat(beat("edge-d-busy", "region-d", 900, 80, 0));
        directory.heartbeat(beat("edge-d-light", "region-d", 10, 20, 0));
        directory.heartbeat(beat("edge-d-gone", "region-d", 0, 0, 0));
        directory.heartbeat(new NodeHeartbeat("router-region-d", NodeRole.ROUTER, "region-d", "10.0.0.9", null, NodeStatus.ACTIVE, 0, 0,
                System.currentTimeMillis()));
        var gone = directory.list("region-d", null).stream().filter(n -> n.getBrokerName().equals("edge-d-gone")).findFirst().orElseThrow();
        directory.setStatus(gone.getBrokerId(), NodeStatus.DRAINING);
        // A draining node stays draining while it keeps heartbeating.
        directory.heartbeat(beat("edge-d-gone", "region-d", 0, 0, 0));

        assertThat(directory.leastLoadedEdge("region-d")).get().extracting(r -> r.getBrokerName()).isEqualTo("edge-d-light");
        assertThat(directory.leastLoadedEdge("region-nowhere")).isEmpty();
    }

    @Test
    void theAllocationQueryUsesTheRegionStatusIndex() {
        for (int i = 0; i < 200; i++) {
            directory.heartbeat(beat("edge-e" + i, "region-e" + (i % 20), i, 1, 0));
        }
        database.dsl().execute("ANALYZE broker_nodes");
        List<String> plan = database.dsl().transactionResult(tx -> {
            tx.dsl().execute("SET LOCAL enable_seqscan = off");
            return tx.dsl().fetch("EXPLAIN " + directory.allocationQuery("region-e3").getSQL(org.jooq.conf.ParamType.INLINED))
                    .getValues(0, String.class);
        });
        assertThat(String.join("\n", plan)).contains("idx_brokers_region_status");
    }
}
