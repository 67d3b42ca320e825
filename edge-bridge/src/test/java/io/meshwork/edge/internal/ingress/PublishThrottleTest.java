package io.meshwork.edge.internal.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.ClientError;
import io.meshwork.edge.internal.Refusal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PublishThrottleTest {

    private final PublishThrottle throttle = new PublishThrottle(Duration.ofSeconds(3));

    @Test
    void refusesOnlyTopicsALaggingSubscriptionMatchesWithTheWaitToTell() {
        throttle.throttle(TopicPattern.parse("orders/+/billing"), "sub-1");

        Refusal refusal = throttle.check(TopicName.of("orders/eu/billing")).orElseThrow();
        assertThat(refusal.error()).isEqualTo(ClientError.THROTTLED);
        assertThat(refusal.field()).isEqualTo("topic");
        assertThat(refusal.getMessage()).contains("orders/eu/billing").contains("retry after 3 s");
        assertThat(((PublishThrottle.RetryAfter) refusal.getCause()).seconds()).isEqualTo(3);
        assertThat(throttle.check(TopicName.of("orders/eu/shipping"))).isEmpty();
    }

    @Test
    void liftsOnlyWhenEverySubscriptionItThrottledForHasRecovered() {
        throttle.throttle(TopicPattern.parse("orders/#"), "sub-1");
        throttle.throttle(TopicPattern.parse("orders/#"), "sub-2");

        throttle.lift(TopicPattern.parse("orders/#"), "sub-1");
        assertThat(throttle.check(TopicName.of("orders/1"))).isPresent();

        throttle.lift(TopicPattern.parse("orders/#"), "sub-2");
        assertThat(throttle.check(TopicName.of("orders/1"))).isEmpty();
    }
}
