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
}
