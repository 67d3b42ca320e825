package io.meshwork.connectors.predicates;

import static io.meshwork.connectors.LinkRecords.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.connectors.internal.TransformChain;
import io.meshwork.connectors.LinkRecords;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/** Connect's {@code Filter} with the mesh predicates, configured as a connector configures them. */
class LinkGuardFilterTest {

    private static final Map<String, String> LOOP_GUARD = Map.of(
            "transforms", "loopGuard",
            "transforms.loopGuard.type", "org.apache.kafka.connect.transforms.Filter",
            "transforms.loopGuard.predicate", "pathHasTarget",
            "predicates", "pathHasTarget",
            "predicates.pathHasTarget.type", RoutingPathContains.class.getName(),
            "predicates.pathHasTarget.broker.id", "us-east-1");

    private static final Map<String, String> HOP_LIMIT = Map.of(
            "transforms", "hopLimit",
            "transforms.hopLimit.type", "org.apache.kafka.connect.transforms.Filter",
            "transforms.hopLimit.predicate", "hopsSpent",
            "predicates", "hopsSpent",
            "predicates.hopsSpent.type", HopBudgetSpent.class.getName());

    @Test
    void loopGuardDropsARecordThatAlreadyEnteredTheTarget() {
        TransformChain<SourceRecord> chain = TransformChain.from(LOOP_GUARD);

        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_path", "us-east-1,eu-west-1").build())).isNull();
    }

    @Test
    void loopGuardKeepsEverythingElse() {
        TransformChain<SourceRecord> chain = TransformChain.from(LOOP_GUARD);
        SourceRecord fresh = LinkRecords.fromEuWest().build();
        SourceRecord plain = LinkRecords.withoutRouting().build();

        assertThat(chain.apply(fresh)).isSameAs(fresh);
        assertThat(chain.apply(plain)).isSameAs(plain);
    }

    @Test
    void hopLimitDropsARecordWithASpentBudget() {
        TransformChain<SourceRecord> chain = TransformChain.from(HOP_LIMIT);

        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_hops", "0").build())).isNull();
        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_hops", "-3").build())).isNull();
    }

    @Test
    void hopLimitKeepsRecordsWithBudgetLeftOrNoReadableBudget() {
        TransformChain<SourceRecord> chain = TransformChain.from(HOP_LIMIT);
        SourceRecord budgetLeft = LinkRecords.fromEuWest().header("mesh_hops", "1").build();
        SourceRecord unreadable = LinkRecords.fromEuWest().header("mesh_hops", "many").build();

        assertThat(chain.apply(budgetLeft)).isSameAs(budgetLeft);
        assertThat(chain.apply(unreadable)).isSameAs(unreadable);
    }

    @Test
    void negatedPredicateKeepsOnlyWhatItMatches() {
        Map<String, String> onlyLoops = new java.util.HashMap<>(LOOP_GUARD);
        onlyLoops.put("transforms.loopGuard.negate", "true");
        TransformChain<SourceRecord> chain = TransformChain.from(onlyLoops);
        SourceRecord looped = LinkRecords.fromEuWest().header("mesh_path", "us-east-1").build();

        assertThat(chain.apply(looped)).isSameAs(looped);
        assertThat(chain.apply(LinkRecords.fromEuWest().build())).isNull();
    }

    @Test
    void guardsThenEnterStampOnlyWhatPassed() {
        Map<String, String> config = Map.ofEntries(
                Map.entry("transforms", "loopGuard,hopLimit,enter"),
                Map.entry("transforms.loopGuard.type", "org.apache.kafka.connect.transforms.Filter"),
                Map.entry("transforms.loopGuard.predicate", "pathHasTarget"),
                Map.entry("transforms.hopLimit.type", "org.apache.kafka.connect.transforms.Filter"),
                Map.entry("transforms.hopLimit.predicate", "hopsSpent"),
                Map.entry("transforms.enter.type", "io.meshwork.connectors.transforms.EnterBroker"),
                Map.entry("transforms.enter.broker.id", "us-east-1"),
                Map.entry("predicates", "pathHasTarget,hopsSpent"),
                Map.entry("predicates.pathHasTarget.type", RoutingPathContains.class.getName()),
                Map.entry("predicates.pathHasTarget.broker.id", "us-east-1"),
                Map.entry("predicates.hopsSpent.type", HopBudgetSpent.class.getName()));
        TransformChain<SourceRecord> chain = TransformChain.from(config);

        SourceRecord entered = chain.apply(LinkRecords.fromEuWest().build());

        assertThat(text(entered, "mesh_path")).isEqualTo("eu-west-1,us-east-1");
        assertThat(text(entered, "mesh_hops")).isEqualTo("15");
        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_path", "eu-west-1,us-east-1").build())).isNull();
        assertThat(chain.apply(LinkRecords.fromEuWest().header("mesh_hops", "0").build())).isNull();
    }
}
