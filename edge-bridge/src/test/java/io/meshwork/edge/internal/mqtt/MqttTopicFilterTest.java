package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import org.junit.jupiter.api.Test;

class MqttTopicFilterTest {

    @Test
    void aSharedFilterIsHeldUnderTheGroupPrefixAndStandsForTheSameGroupAndPattern() {
        String held = MqttTopicFilter.heldForm("$share/workers/jobs/+/run").orElseThrow();
        assertThat(held).isEqualTo("$mesh-group/workers/jobs/+/run");
        assertThat(MqttTopicFilter.held("workers", "jobs/+/run")).isEqualTo(held);

        MqttTopicFilter clientForm = MqttTopicFilter.parse("$share/workers/jobs/+/run");
        MqttTopicFilter heldForm = MqttTopicFilter.parse(held);
        assertThat(heldForm.group()).isEqualTo(clientForm.group()).isEqualTo("workers");
        assertThat(heldForm.pattern()).isEqualTo(clientForm.pattern());
        assertThat(heldForm.shared()).isTrue();
        assertThat(MqttTopicFilter.parse("jobs/#").shared()).isFalse();
    }

    @Test
    void onlyWellFormedSharedFiltersAreRewritten() {
        assertThat(MqttTopicFilter.heldForm("jobs/#")).isEmpty();
        assertThat(MqttTopicFilter.heldForm("$share/g/")).isEmpty();
        assertThat(MqttTopicFilter.heldForm("$share//x")).isEmpty();
        assertThat(MqttTopicFilter.heldForm("$share/g")).isEmpty();
    }

    @Test
    void aMembersDeliveryTopicMatchesOnlyItsGroupsHeldFilterAndGoesOutAsTheEventsTopic() {
        TopicName brokerTopic = TopicName.of(MqttTopicFilter.memberTopic("workers", "jobs/a/run"));
        assertThat(TopicPattern.parse(MqttTopicFilter.held("workers", "jobs/+/run")).matches(brokerTopic)).isTrue();
        assertThat(TopicPattern.parse(MqttTopicFilter.held("others", "jobs/+/run")).matches(brokerTopic)).isFalse();
        assertThat(TopicPattern.parse("#").matches(brokerTopic)).as("a leading $ is not matched by a wildcard").isFalse();
        assertThat(MqttTopicFilter.eventTopic(brokerTopic.value())).contains("jobs/a/run");
        assertThat(MqttTopicFilter.eventTopic("jobs/a/run")).isEmpty();
    }
}
