package io.meshwork.launcher.processes;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.embedded.kafka.BrokerTuning;
import io.meshwork.topology.Topology;
import io.meshwork.topology.TopologyLoader;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files scripts/processes-up.sh starts the mesh from (config/processes/) agree with each other
 * and with the brokers the tests start: the same tuning, one quorum per region, and the topology's
 * Kafka port on the region's first broker.
 */
class ProcessConfigFilesTest {

    private static final Path DIR = Path.of("..", "config", "processes");
    private static final Topology TOPOLOGY = TopologyLoader.load(DIR.resolve("topology.yaml"));

    @Test
    void everyBrokerCarriesTheSmallClusterTuningForItsClusterSize() throws IOException {
        for (String region : TOPOLOGY.regionNames()) {
            List<Properties> nodes = nodes(region);
            assertThat(nodes).as(region).isNotEmpty();
            for (Properties node : nodes) {
                BrokerTuning.compact(nodes.size()).forEach((key, value) ->
                        assertThat(node.getProperty(key)).as(region + " node " + node.getProperty("node.id") + ": " + key).isEqualTo(value));
            }
        }
    }

    @Test
    void eachRegionsNodesShareOneQuorumThatListsEveryNode() throws IOException {
        for (String region : TOPOLOGY.regionNames()) {
            List<Properties> nodes = nodes(region);
            String voters = nodes.get(0).getProperty("controller.quorum.voters");
            for (Properties node : nodes) {
                assertThat(node.getProperty("controller.quorum.voters")).as(region).isEqualTo(voters);
                assertThat(voters).as(region).contains(node.getProperty("node.id") + "@127.0.0.1:");
                assertThat(node.getProperty("listeners")).as(region)
                        .contains("CONTROLLER://127.0.0.1:" + voters.split(node.getProperty("node.id") + "@127.0.0.1:")[1].split(",")[0]);
            }
        }
    }

    @Test
    void topologysKafkaPortIsTheClientListenerOfTheRegionsFirstBroker() throws IOException {
        for (String region : TOPOLOGY.regionNames()) {
            assertThat(nodes(region).get(0).getProperty("listeners"))
                    .startsWith("CLIENT://127.0.0.1:" + TOPOLOGY.region(region).ports().kafka() + ",");
        }
    }

    private static List<Properties> nodes(String region) throws IOException {
        List<Properties> nodes = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIR.resolve(region))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("server-\\d+\\.properties")).sorted().toList()) {
                Properties props = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    props.load(reader);
                }
                nodes.add(props);
            }
        }
        return nodes;
    }
}
