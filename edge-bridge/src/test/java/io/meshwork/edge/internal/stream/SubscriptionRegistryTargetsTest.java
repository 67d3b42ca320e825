package io.meshwork.edge.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.selector.Selector;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.TopicName;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.egress.EgressLane;
import io.meshwork.edge.internal.egress.EgressListener;
import io.meshwork.edge.internal.egress.EgressQueue;
import io.meshwork.edge.internal.interest.RecordingInterest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which subscription of a connection an event is queued for when several match. */
class SubscriptionRegistryTargetsTest {

    private static final class Connection implements Subscriber {
        @Override
        public String id() {
            return "connection";
        }

        @Override
        public void deliver(OutboundEvent event) {
        }
    }

    private final SubscriptionRegistry registry = new SubscriptionRegistry(new RecordingInterest());
    private final EgressQueue queue = new EgressQueue(SubscriberQueueSettings.DEFAULTS, EgressListener.NONE);
    private final Connection connection = new Connection();

    private EgressLane subscribe(String pattern, String selector, DeliveryPolicy policy) {
        EgressLane lane = queue.open(policy, pattern);
        registry.subscribe(connection, TopicPattern.parse(pattern), Selector.parse(selector), lane);
        return lane;
    }

    private Map<Subscriber, EgressLane> targets(String topic, Map<String, String> headers) {
        return registry.targetsFor(TopicName.of(topic), () -> SelectorContext.of(headers, new byte[0], null));
    }

    @Test
    void anEventMatchingSeveralSubscriptionsOfOneConnectionGoesOnceToTheOneThatLosesLeast() {
        EgressLane conflate = subscribe("prices/#", "", DeliveryPolicy.CONFLATE);
        EgressLane dropOldest = subscribe("prices/eu/+", "", DeliveryPolicy.DROP_OLDEST);
        EgressLane disconnect = subscribe("prices/eu/gold", "", DeliveryPolicy.DISCONNECT);

        assertThat(targets("prices/us/gold", Map.of())).containsExactly(Map.entry(connection, conflate));
        assertThat(targets("prices/eu/silver", Map.of())).containsExactly(Map.entry(connection, dropOldest));
        assertThat(targets("prices/eu/gold", Map.of())).containsExactly(Map.entry(connection, disconnect));
    }

    @Test
    void aSubscriptionWhoseSelectorRefusesTheEventIsNotChosen() {
        EgressLane conflate = subscribe("orders/#", "", DeliveryPolicy.CONFLATE);
        subscribe("orders/#", "headers.priority = 'high'", DeliveryPolicy.DISCONNECT);

        assertThat(targets("orders/x", Map.of("priority", "low"))).containsExactly(Map.entry(connection, conflate));
        assertThat(targets("orders/x", Map.of("priority", "high")).get(connection).policy()).isEqualTo(DeliveryPolicy.DISCONNECT);
    }
}
