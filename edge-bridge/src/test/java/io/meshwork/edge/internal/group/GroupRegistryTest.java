package io.meshwork.edge.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.selector.Selector;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.interest.RecordingInterest;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.edge.internal.stream.SubscriptionRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Consumer groups as the subscription registry holds them: one subscriber and one interest per group. */
class GroupRegistryTest {

    private record Connection(String id) implements Subscriber {
        @Override
        public void deliver(OutboundEvent event) {
        }
    }

    private final RecordingInterest interest = new RecordingInterest();
    private final SubscriptionRegistry registry = new SubscriptionRegistry(interest);
    private final TopicPattern jobs = TopicPattern.parse("jobs/#");
    private final Optional<String> workers = Optional.of("workers");

    @Test
    void aGroupIsOneSubscriberAndOneInterestHoweverManyMembersItHas() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        assertThat(registry.subscribe(a, jobs, Selector.ACCEPT_ALL, workers, null)).isTrue();
        assertThat(registry.subscribe(b, jobs, Selector.ACCEPT_ALL, workers, null)).isTrue();
        assertThat(registry.subscribe(b, jobs, Selector.ACCEPT_ALL, workers, null)).as("already a member").isFalse();

        assertThat(interest.changes()).containsExactly("+jobs/#");
        assertThat(registry.targetsFor(TopicName.of("jobs/1"), () -> null).keySet()).singleElement()
                .isInstanceOf(ConsumerGroup.class);
        assertThat(registry.holdsAny(a)).isTrue();
    }

    @Test
    void theInterestGoesWithTheLastMemberWhetherItUnsubscribesOrItsConnectionEnds() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        registry.subscribe(a, jobs, Selector.ACCEPT_ALL, workers, null);
        registry.subscribe(b, jobs, Selector.ACCEPT_ALL, workers, null);

        assertThat(registry.unsubscribe(a, jobs, "", workers)).isTrue();
        assertThat(registry.unsubscribe(a, jobs, "", workers)).as("no longer a member").isFalse();
        assertThat(registry.holdsAny(a)).isFalse();
        assertThat(interest.changes()).containsExactly("+jobs/#");
        registry.removeAll(b);

        assertThat(interest.changes()).containsExactly("+jobs/#", "-jobs/#");
        assertThat(registry.targetsFor(TopicName.of("jobs/1"), () -> null).keySet()).isEmpty();
    }

    @Test
    void aGroupAndAPlainSubscriptionOfOneConnectionAreSeparate() {
        Connection a = new Connection("a");
        registry.subscribe(a, jobs, Selector.ACCEPT_ALL, workers, null);
        registry.subscribe(a, jobs, Selector.ACCEPT_ALL, Optional.empty(), null);

        assertThat(registry.targetsFor(TopicName.of("jobs/1"), () -> null).keySet()).hasSize(2);
        assertThat(registry.unsubscribe(a, jobs, "", Optional.empty())).isTrue();
        assertThat(registry.targetsFor(TopicName.of("jobs/1"), () -> null).keySet()).singleElement().isInstanceOf(ConsumerGroup.class);
    }
}
