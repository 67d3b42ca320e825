package io.meshwork.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionsTest {

    private static List<TopicPattern> filters(String... values) {
        return Arrays.stream(values).map(TopicPattern::parse).toList();
    }

    private final Permissions orders = new Permissions(filters("orders/#"), filters("orders/secret/#"),
            filters("orders/#", "prices/+"), filters("orders/secret/#"));

    @Test
    void nothingIsAllowedByDefault() {
        assertThat(Permissions.NONE.mayPublish(TopicName.of("a"))).isFalse();
        assertThat(Permissions.NONE.maySubscribe(TopicPattern.parse("a"))).isFalse();
    }

    @Test
    void publishNeedsAnAllowFilterAndNoDenyFilter() {
        assertThat(orders.mayPublish(TopicName.of("orders/eu/1"))).isTrue();
        assertThat(orders.mayPublish(TopicName.of("orders"))).isTrue();
        assertThat(orders.mayPublish(TopicName.of("orders/secret/1"))).isFalse();
        assertThat(orders.mayPublish(TopicName.of("prices/eu"))).isFalse();
    }

    @Test
    void aSubscriptionIsAllowedOnlyIfEveryTopicItCanMatchIsAllowed() {
        assertThat(orders.maySubscribe(TopicPattern.parse("orders/eu/#"))).isTrue();
        assertThat(orders.maySubscribe(TopicPattern.parse("prices/eu"))).isTrue();
        assertThat(orders.maySubscribe(TopicPattern.parse("prices/#"))).as("wider than prices/+").isFalse();
        assertThat(orders.maySubscribe(TopicPattern.parse("orders/#"))).as("reaches orders/secret").isFalse();
        assertThat(orders.maySubscribe(TopicPattern.parse("orders/+/1"))).as("matches orders/secret/1").isFalse();
        assertThat(orders.maySubscribe(TopicPattern.parse("orders/secret/x"))).isFalse();
        assertThat(orders.maySubscribe(TopicPattern.parse("#"))).isFalse();
    }
}
