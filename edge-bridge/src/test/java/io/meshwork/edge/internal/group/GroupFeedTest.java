package io.meshwork.edge.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.topic.TopicPattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

/** What a group's feed takes over from an earlier commit, and the Kafka group it shares. */
class GroupFeedTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aPositionCommittedWithinTheResumeWindowIsTakenOver() {
        assertThat(GroupFeed.resumable(new OffsetAndMetadata(42, "committed-at=" + (NOW - 50_000)), NOW)).isTrue();
    }

    @Test
    void aPositionFromTheGroupsEarlierLifeIsNot() {
        assertThat(GroupFeed.resumable(new OffsetAndMetadata(42, "committed-at=" + (NOW - GroupFeed.RESUME_WINDOW_MS - 1)), NOW))
                .isFalse();
    }

    @Test
    void aPositionWithoutTheFeedsMetadataIsNot() {
        assertThat(GroupFeed.resumable(new OffsetAndMetadata(42, ""), NOW)).isFalse();
        assertThat(GroupFeed.resumable(new OffsetAndMetadata(42, "committed-at=soon"), NOW)).isFalse();
        assertThat(GroupFeed.resumable(null, NOW)).isFalse();
    }

    @Test
    void theKafkaGroupIsNamedByRegionAndNameAndTellsPatternAndSelectorApart() {
        GroupKey key = new GroupKey("workers", TopicPattern.parse("jobs/#"), "");
        String groupId = key.kafkaGroupId("eu-west-1");
        assertThat(groupId).matches("meshwork-group-eu-west-1-workers-[0-9a-f]{12}");
        assertThat(new GroupKey("workers", TopicPattern.parse("jobs/#"), " ").kafkaGroupId("eu-west-1")).isEqualTo(groupId);
        assertThat(new GroupKey("workers", TopicPattern.parse("jobs/+"), "").kafkaGroupId("eu-west-1")).isNotEqualTo(groupId);
        assertThat(new GroupKey("workers", TopicPattern.parse("jobs/#"), "priority > 1").kafkaGroupId("eu-west-1"))
                .isNotEqualTo(groupId);
        assertThat(key.kafkaGroupId("us-east-1")).isNotEqualTo(groupId);
    }
}
