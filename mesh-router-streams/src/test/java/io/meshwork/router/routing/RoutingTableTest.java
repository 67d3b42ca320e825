package io.meshwork.router.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.interest.LinkState;
import io.meshwork.topology.Link;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private static final List<Link> SEED = List.of(new Link("us", "eu", Duration.ofMillis(70)),
            new Link("eu", "ap", Duration.ofMillis(120)), new Link("us", "ap", Duration.ofMillis(180)));

    @Test
    void routesAroundALinkEitherEndReportsDown() {
        RoutingTable table = new RoutingTable("us", SEED);
        assertThat(table.current().towards("ap")).contains("ap");

        table.apply(new LinkState("ap", 5, 0, Map.of("us", false, "eu", true)));

        assertThat(table.current().towards("ap")).contains("eu");
    }

    @Test
    void olderLinkStateLosesAndANewerOneHeals() {
        RoutingTable table = new RoutingTable("us", SEED);
        table.apply(new LinkState("us", 10, 0, Map.of("ap", false, "eu", true)));
        table.apply(new LinkState("us", 9, 0, Map.of("ap", true, "eu", true)));
        assertThat(table.current().towards("ap")).contains("eu");

        table.apply(new LinkState("us", 11, 0, Map.of("ap", true, "eu", true)));
        assertThat(table.current().towards("ap")).contains("ap");
    }

    @Test
    void partitionedRegionHasNoNextHop() {
        RoutingTable table = new RoutingTable("us", SEED);
        table.apply(new LinkState("ap", 1, 0, Map.of("us", false, "eu", false)));

        assertThat(table.current().towards("ap")).isEmpty();
        assertThat(table.current().towards("eu")).contains("eu");
    }

    @Test
    void aMarkedlySlowerMeasuredLinkIsRoutedAround() {
        RoutingTable table = new RoutingTable("us", SEED);

        table.apply(new LinkState("ap", 2, 0, Map.of("us", true, "eu", true), Map.of("us", 400L), Map.of()));

        assertThat(table.current().towards("ap")).contains("eu");
        assertThat(table.costTo("ap")).contains(Duration.ofMillis(400));
    }

    @Test
    void measurementJitterDoesNotMoveRoutesBetweenNearEqualPaths() {
        RoutingTable table = new RoutingTable("us", SEED);

        // 224 ms against 180 configured: a busy host, not a slower link (the detour costs 190 ms).
        table.apply(new LinkState("ap", 2, 0, Map.of("us", true, "eu", true), Map.of("us", 224L), Map.of()));
        table.apply(new LinkState("us", 2, 0, Map.of("ap", true, "eu", true), Map.of("ap", 226L), Map.of()));

        assertThat(table.current().towards("ap")).contains("ap");
        assertThat(table.costTo("ap")).contains(Duration.ofMillis(180));
    }

    @Test
    void bothEndsMeasurementsAreAveraged() {
        RoutingTable table = new RoutingTable("us", SEED);

        table.apply(new LinkState("us", 2, 0, Map.of(), Map.of("eu", 100L), Map.of()));
        assertThat(table.costTo("eu")).as("30 ms off the configured 70: not a marked change").contains(Duration.ofMillis(70));
        table.apply(new LinkState("eu", 2, 0, Map.of(), Map.of("us", 400L), Map.of()));

        assertThat(table.costTo("eu")).contains(Duration.ofMillis(250));
    }

    @Test
    void versionChangesOnlyWhenNextHopsDo() {
        RoutingTable table = new RoutingTable("us", SEED);
        long before = table.version();

        table.apply(new LinkState("eu", 1, 0, Map.of("us", true, "ap", true)));
        assertThat(table.version()).isEqualTo(before);

        table.apply(new LinkState("ap", 1, 0, Map.of("us", false, "eu", true)));
        assertThat(table.version()).isGreaterThan(before);
        assertThat(table.linkUp("ap")).isFalse();
        assertThat(table.linkUp("eu")).isTrue();
    }
}
