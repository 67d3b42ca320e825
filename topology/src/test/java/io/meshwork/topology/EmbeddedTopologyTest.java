package io.meshwork.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedTopologyTest {

    @Test
    void loadsTheEmbeddedThreeRegionTopology() {
        Topology topology = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);

        assertThat(topology.mesh()).isEqualTo("meshwork-embedded");
        assertThat(topology.controlPlanePort()).isEqualTo(8080);
        assertThat(topology.regions()).containsExactly(
                new Region("us-east-1", new RegionPorts(19092, 18080, 18090, 11883)),
                new Region("eu-west-1", new RegionPorts(29092, 28080, 28090, 21883)),
                new Region("ap-southeast-1", new RegionPorts(39092, 38080, 38090, 31883)));
        assertThat(topology.links()).containsExactly(
                new Link("us-east-1", "eu-west-1", Duration.ofMillis(70)),
                new Link("eu-west-1", "ap-southeast-1", Duration.ofMillis(120)),
                new Link("us-east-1", "ap-southeast-1", Duration.ofMillis(180)));
    }

    @Test
    void embeddedRttsAreFoundInEitherDirection() {
        Topology topology = TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE);

        assertThat(topology.link("eu-west-1", "us-east-1")).map(Link::rtt).contains(Duration.ofMillis(70));
        assertThat(topology.link("ap-southeast-1", "eu-west-1")).map(Link::rtt).contains(Duration.ofMillis(120));
        assertThat(topology.link("ap-southeast-1", "us-east-1")).map(Link::rtt).contains(Duration.ofMillis(180));
    }

    @Test
    void classpathCopyIsTheFileInTheModule() {
        // Surefire runs in the module directory, where the editable original lives.
        assertThat(TopologyLoader.load(Path.of("three-regions.yaml")))
                .isEqualTo(TopologyLoader.loadResource(TopologyLoader.EMBEDDED_RESOURCE));
    }

    @Test
    void acceptsAResourceNameWithLeadingSlash() {
        assertThat(TopologyLoader.loadResource("/" + TopologyLoader.EMBEDDED_RESOURCE).regionNames())
                .containsExactly("us-east-1", "eu-west-1", "ap-southeast-1");
    }

    @Test
    void rejectsMissingClasspathResource() {
        assertThatThrownBy(() -> TopologyLoader.loadResource("topology/nope.yaml"))
                .isInstanceOf(TopologyException.class)
                .hasMessage("nope.yaml: (document): no such classpath resource 'topology/nope.yaml'");
    }

    @Test
    void namesAFileByThePathAsGiven(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mesh.yaml"), "mesh: m\n");

        assertThatThrownBy(() -> TopologyLoader.load(file))
                .isInstanceOf(TopologyException.class)
                .hasMessage(file + ": controlPlane: missing required field");
    }

    @Test
    void rejectsMissingFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> TopologyLoader.load(file))
                .isInstanceOf(TopologyException.class)
                .hasMessage(file + ": (document): file not found");
    }
}
