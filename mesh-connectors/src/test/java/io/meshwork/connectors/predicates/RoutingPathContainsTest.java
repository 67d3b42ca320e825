package io.meshwork.connectors.predicates;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.meshwork.connectors.CapturedLog;
import io.meshwork.connectors.LinkGuardCounters;
import io.meshwork.connectors.LinkRecords;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RoutingPathContainsTest {

    private final RoutingPathContains<SourceRecord> pathHasUsEast = configuredFor("us-east-1");

    private static RoutingPathContains<SourceRecord> configuredFor(String brokerId) {
        RoutingPathContains<SourceRecord> predicate = new RoutingPathContains<>();
        predicate.configure(Map.of(RoutingPathContains.BROKER_ID_CONFIG, brokerId));
        return predicate;
    }

    @Test
    void matchesWhenThePathAlreadyHoldsTheBroker() {
        SourceRecord looped = LinkRecords.fromEuWest().header("mesh_path", "us-east-1,eu-west-1").build();

        assertThat(pathHasUsEast.test(looped)).isTrue();
    }

    @Test
    void matchesAPathGivenAsString() {
        SourceRecord looped = LinkRecords.fromEuWest().rawHeader("mesh_path", "eu-west-1,us-east-1").build();

        assertThat(pathHasUsEast.test(looped)).isTrue();
    }

    @Test
    void doesNotMatchWhenTheBrokerIsNotOnThePath() {
        assertThat(pathHasUsEast.test(LinkRecords.fromEuWest().build())).isFalse();
    }

    @Test
    void doesNotMatchABrokerWhoseIdMerelyContainsTheConfiguredOne() {
        SourceRecord other = LinkRecords.fromEuWest().header("mesh_path", "us-east-10,xus-east-1").build();

        assertThat(pathHasUsEast.test(other)).isFalse();
    }

    @Test
    void doesNotMatchRecordsWithoutAPath() {
        assertThat(pathHasUsEast.test(LinkRecords.withoutRouting().build())).isFalse();
    }

    @Test
    void countsAndLogsEachLoopOnceAtWarnWithTopicAndEventId() {
        RoutingPathContains<SourceRecord> pathHasApSoutheast = configuredFor("ap-southeast-1");
        LinkGuardCounters counters = LinkGuardCounters.forBroker("ap-southeast-1");
        long loopsBefore = counters.loopsDetected();
        SourceRecord looped = LinkRecords.fromEuWest().header("mesh_path", "ap-southeast-1,eu-west-1").build();

        try (CapturedLog log = CapturedLog.of(RoutingPathContains.class)) {
            pathHasApSoutheast.test(looped);

            assertThat(log.events()).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.WARN);
                assertThat(event.getFormattedMessage()).contains(LinkRecords.TOPIC, "evt_uuid_88192ab_99", "ap-southeast-1");
                assertThat(event.getThrowableProxy()).isNull();
            });
        }
        assertThat(counters.loopsDetected()).isEqualTo(loopsBefore + 1);
    }

    @Test
    void logsNothingForRecordsThatDoNotLoop() {
        try (CapturedLog log = CapturedLog.of(RoutingPathContains.class)) {
            pathHasUsEast.test(LinkRecords.fromEuWest().build());

            assertThat(log.events()).isEmpty();
        }
    }
}
