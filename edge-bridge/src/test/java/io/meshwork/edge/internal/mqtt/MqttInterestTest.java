package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.topic.InvalidTopicException;
import io.meshwork.edge.internal.interest.RecordingInterest;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import org.junit.jupiter.api.Test;

class MqttInterestTest {

    private final RecordingInterest interest = new RecordingInterest();
    private final SubscriptionRegistry registry = new SubscriptionRegistry(interest);
    private final Subscriber listener = new Subscriber() {
        @Override
        public String id() {
            return "MQTT";
        }

        @Override
        public void deliver(OutboundEvent event) {
        }
    };
    private final MqttInterest sessions = new MqttInterest(registry, listener);

    @Test
    void aPatternIsRegisteredWhileAnySessionHoldsAFilterForIt() {
        sessions.add("a", MqttTopicFilter.parse("jobs/#"));
        sessions.add("b", MqttTopicFilter.parse("jobs/#"));
        sessions.add("b", MqttTopicFilter.parse("$share/g/jobs/#"));
        sessions.add("a", MqttTopicFilter.parse("jobs/#")); // subscribing again changes nothing

        assertThat(interest.changes()).containsExactly("+jobs/#");
        assertThat(registry.patternCount()).isEqualTo(1);

        sessions.remove("a", "jobs/#");
        sessions.remove("b", "jobs/#");
        assertThat(interest.changes()).containsExactly("+jobs/#");
        sessions.removeSession("b");
        assertThat(interest.changes()).containsExactly("+jobs/#", "-jobs/#");
        assertThat(registry.patternCount()).isZero();
    }

    @Test
    void removingWhatWasNeverHeldIsHarmless() {
        sessions.add("a", MqttTopicFilter.parse("x/+"));
        sessions.remove("a", "y/+");
        sessions.remove("nobody", "x/+");
        sessions.removeSession("nobody");

        assertThat(sessions.filterCount("a")).isEqualTo(1);
        assertThat(interest.changes()).containsExactly("+x/+");
    }

    @Test
    void clearWithdrawsEverything() {
        sessions.add("a", MqttTopicFilter.parse("x/#"));
        sessions.add("b", MqttTopicFilter.parse("y/#"));

        sessions.clear();

        assertThat(registry.patternCount()).isZero();
        assertThat(interest.changes()).containsExactlyInAnyOrder("+x/#", "+y/#", "-x/#", "-y/#");
    }

    @Test
    void sharedSubscriptionsStandForTheirInnerFilter() {
        assertThat(MqttTopicFilter.parse("$share/workers/jobs/+/run").pattern().value()).isEqualTo("jobs/+/run");
        assertThat(MqttTopicFilter.parse("plain/#").pattern().value()).isEqualTo("plain/#");
        assertThatThrownBy(() -> MqttTopicFilter.parse("$share/g/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttTopicFilter.parse("$share//x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MqttTopicFilter.parse("$share/g/a/#/b")).isInstanceOf(InvalidTopicException.class);
    }
}
