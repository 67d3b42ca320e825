package io.meshwork.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NextHopsTest {

    private static Link link(String a, String b, long rttMs) {
        return new Link(a, b, Duration.ofMillis(rttMs));
    }

    private static final List<Link> SEED = List.of(
            link("us-east-1", "eu-west-1", 70), link("eu-west-1", "ap-southeast-1", 120), link("us-east-1", "ap-southeast-1", 180));

    @Test
    void seedTopologyUsesDirectLinks() {
        NextHops us = NextHops.compute("us-east-1", SEED);
        assertThat(us.towards("ap-southeast-1")).contains("ap-southeast-1");
        assertThat(us.towards("eu-west-1")).contains("eu-west-1");
        assertThat(us.cost().get("ap-southeast-1")).isEqualTo(Duration.ofMillis(180));
        assertThat(us.towards("us-east-1")).isEmpty();
    }

    @Test
    void routesAroundAMissingLink() {
        NextHops us = NextHops.compute("us-east-1", SEED.subList(0, 2));
        assertThat(us.towards("ap-southeast-1")).contains("eu-west-1");
        assertThat(us.cost().get("ap-southeast-1")).isEqualTo(Duration.ofMillis(190));
    }

    @Test
    void prefersACheaperTwoHopPath() {
        NextHops a = NextHops.compute("a", List.of(link("a", "c", 500), link("a", "b", 10), link("b", "c", 10)));
        assertThat(a.towards("c")).contains("b");
    }

    @Test
    void unreachableRegionsHaveNoNextHop() {
        NextHops ap = NextHops.compute("ap-southeast-1", List.of(link("us-east-1", "eu-west-1", 70)));
        assertThat(ap.towards("us-east-1")).isEmpty();
        assertThat(ap.next()).isEmpty();
    }

    @Test
    void tiesAreBrokenByRegionNameSoEveryRouterAgrees() {
        NextHops a = NextHops.compute("a", List.of(link("a", "x", 10), link("a", "b", 10), link("b", "d", 10), link("x", "d", 10)));
        assertThat(a.towards("d")).contains("b");
    }
}
