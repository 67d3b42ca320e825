package io.meshwork.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyApiTest {

    private static final Region US = new Region("us-east-1", new RegionPorts(19092, 18080, 18090, 11883));
    private static final Region EU = new Region("eu-west-1", new RegionPorts(29092, 28080, 28090, 21883));
    private static final Region AP = new Region("ap-southeast-1", new RegionPorts(39092, 38080, 38090, 31883));

    private static Link link(String a, String b, long rttMs) {
        return new Link(a, b, Duration.ofMillis(rttMs));
    }

    /** A chain us - eu - ap, with ap's link declared back to front. */
    private static Topology chain() {
        return new Topology("chain", 8080, List.of(US, EU, AP),
                List.of(link("ap-southeast-1", "eu-west-1", 120), link("us-east-1", "eu-west-1", 70)));
    }

    @Test
    void neighboursAreDerivedFromLinks() {
        Topology topology = chain();

        assertThat(topology.neighbours("us-east-1")).containsExactly("eu-west-1");
        assertThat(topology.neighbours("eu-west-1")).containsExactly("us-east-1", "ap-southeast-1");
        assertThat(topology.neighbours("ap-southeast-1")).containsExactly("eu-west-1");
    }

    @Test
    void isolatedRegionHasNoNeighbours() {
        Topology topology = new Topology("lonely", 8080, List.of(US, EU), List.of());

        assertThat(topology.neighbours("us-east-1")).isEmpty();
        assertThat(topology.link("us-east-1", "eu-west-1")).isEmpty();
    }

    @Test
    void findsLinksRegardlessOfOrder() {
        Topology topology = chain();

        assertThat(topology.link("eu-west-1", "ap-southeast-1")).contains(link("ap-southeast-1", "eu-west-1", 120));
        assertThat(topology.link("ap-southeast-1", "eu-west-1")).contains(link("ap-southeast-1", "eu-west-1", 120));
        assertThat(topology.link("us-east-1", "ap-southeast-1")).isEmpty();
    }

    @Test
    void looksUpRegionsByName() {
        assertThat(chain().region("eu-west-1")).isEqualTo(EU);
    }

    @Test
    void unknownRegionIsNamedInTheError() {
        Topology topology = chain();
        String expected = "unknown region 'mars-1' (known: us-east-1, eu-west-1, ap-southeast-1)";

        assertThatThrownBy(() -> topology.region("mars-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
        assertThatThrownBy(() -> topology.neighbours("mars-1")).hasMessage(expected);
        assertThatThrownBy(() -> topology.link("us-east-1", "mars-1")).hasMessage(expected);
    }

    @Test
    void regionsAndLinksCannotBeChangedFromOutside() {
        List<Region> regions = new ArrayList<>(List.of(US, EU));
        Topology topology = new Topology("m", 8080, regions, List.of(link("us-east-1", "eu-west-1", 70)));
        regions.add(AP);

        assertThat(topology.regions()).containsExactly(US, EU);
        assertThatThrownBy(() -> topology.regions().add(AP)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> topology.links().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void constructorRejectsDuplicateRegion() {
        assertThatThrownBy(() -> new Topology("m", 8080, List.of(US, US), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate region 'us-east-1'");
    }

    @Test
    void constructorRejectsNoRegions() {
        assertThatThrownBy(() -> new Topology("m", 8080, List.of(), List.of()))
                .hasMessage("a topology needs at least one region");
    }

    @Test
    void constructorRejectsPortClashWithControlPlane() {
        assertThatThrownBy(() -> new Topology("m", 18080, List.of(US), List.of()))
                .hasMessage("port 18080 of us-east-1 http is already used by the control plane");
    }

    @Test
    void constructorRejectsLinkToUnknownRegion() {
        assertThatThrownBy(() -> new Topology("m", 8080, List.of(US), List.of(link("us-east-1", "mars-1", 5))))
                .hasMessage("link us-east-1<->mars-1 names unknown region 'mars-1'");
    }

    @Test
    void constructorRejectsDuplicateLinkInEitherOrder() {
        List<Link> links = List.of(link("us-east-1", "eu-west-1", 70), link("eu-west-1", "us-east-1", 71));

        assertThatThrownBy(() -> new Topology("m", 8080, List.of(US, EU), links))
                .hasMessage("duplicate link between 'eu-west-1' and 'us-east-1'");
    }

    @Test
    void linkKnowsItsEnds() {
        Link link = link("us-east-1", "eu-west-1", 70);

        assertThat(link.connects("eu-west-1")).isTrue();
        assertThat(link.connects("ap-southeast-1")).isFalse();
        assertThat(link.other("eu-west-1")).isEqualTo("us-east-1");
        assertThat(link.other("us-east-1")).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> link.other("ap-southeast-1"))
                .hasMessage("link us-east-1<->eu-west-1 does not connect region 'ap-southeast-1'");
    }

    @Test
    void linkRejectsSelfLinkAndNonPositiveRtt() {
        assertThatThrownBy(() -> link("us-east-1", "us-east-1", 70))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("link from region 'us-east-1' to itself");
        assertThatThrownBy(() -> link("us-east-1", "eu-west-1", 0))
                .hasMessage("link us-east-1<->eu-west-1: rtt must be positive, was PT0S");
    }

    @Test
    void regionRejectsInvalidNameAndPorts() {
        assertThatThrownBy(() -> new Region("US_East", US.ports()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid region name 'US_East' (must match [a-z][a-z0-9-]{0,62})");
        assertThatThrownBy(() -> new RegionPorts(19092, 0, 18090, 11883))
                .hasMessage("http port 0 is out of range 1..65535");
        assertThatThrownBy(() -> new RegionPorts(19092, 18080, 18090, 65536))
                .hasMessage("mqtt port 65536 is out of range 1..65535");
    }
}
