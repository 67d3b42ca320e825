package io.meshwork.connectors.predicates;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.meshwork.connectors.CapturedLog;
import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.LinkRecords;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopBudgetSpentTest {

    private final HopBudgetSpent<SourceRecord> hopsSpent = configuredFor("eu-west-1");

    private static HopBudgetSpent<SourceRecord> configuredFor(String brokerId) {
        HopBudgetSpent<SourceRecord> predicate = new HopBudgetSpent<>();
        predicate.configure(Map.of(HopBudgetSpent.BROKER_ID_CONFIG, brokerId));
        return predicate;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "-16", " 0 "})
    void matchesABudgetOfZeroOrLess(String hops) {
        assertThat(hopsSpent.test(LinkRecords.fromEuWest().header("mesh_hops", hops).build())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "16"})
    void doesNotMatchABudgetLeft(String hops) {
        assertThat(hopsSpent.test(LinkRecords.fromEuWest().header("mesh_hops", hops).build())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"many", "", "0x10", "1.0"})
    void doesNotMatchANonNumericBudget(String hops) {
        assertThat(hopsSpent.test(LinkRecords.fromEuWest().header("mesh_hops", hops).build())).isFalse();
    }

    @Test
    void doesNotMatchAMissingBudget() {
        assertThat(hopsSpent.test(LinkRecords.withoutRouting().build())).isFalse();
    }

    @Test
    void readsABudgetGivenAsStringOrNumber() {
        assertThat(hopsSpent.test(LinkRecords.fromEuWest().rawHeader("mesh_hops", "0").build())).isTrue();
        assertThat(hopsSpent.test(LinkRecords.fromEuWest().rawHeader("mesh_hops", 0).build())).isTrue();
        assertThat(hopsSpent.test(LinkRecords.fromEuWest().rawHeader("mesh_hops", "3").build())).isFalse();
    }

    @Test
    void needsNoConfiguration() {
        HopBudgetSpent<SourceRecord> unconfigured = new HopBudgetSpent<>();
        unconfigured.configure(Map.of());
        LinkGuardCounters unspecified = LinkGuardCounters.forBroker(LinkGuardCounters.UNSPECIFIED_BROKER);
        long hitsBefore = unspecified.hopLimitHits();

        assertThat(unconfigured.test(LinkRecords.fromEuWest().header("mesh_hops", "0").build())).isTrue();
        assertThat(unspecified.hopLimitHits()).isEqualTo(hitsBefore + 1);
    }

    @Test
    void countsAndLogsEachHitOnceAtWarnWithTopicAndEventId() {
        LinkGuardCounters counters = LinkGuardCounters.forBroker("eu-west-1");
        long hitsBefore = counters.hopLimitHits();

        try (CapturedLog log = CapturedLog.of(HopBudgetSpent.class)) {
            hopsSpent.test(LinkRecords.fromEuWest().header("mesh_hops", "0").build());
            hopsSpent.test(LinkRecords.fromEuWest().build());

            assertThat(log.events()).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains(LinkRecords.TOPIC, "evt_uuid_88192ab_99");
                assertThat(event.getThrowableProxy()).isNull();
            });
        }
        assertThat(counters.hopLimitHits()).isEqualTo(hitsBefore + 1);
    }
}
