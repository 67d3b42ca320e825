package io.meshwork.edge.internal.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.envelope.KafkaEventCodec;
import io.meshwork.core.topic.TopicPattern;
import io.meshwork.edge.internal.stream.Backlog;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.Subscriber;
import io.meshwork.schema.v1.EventEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerGroupTest {

    /** A member connection that records what it is handed and reports a settable backlog. */
    private static final class Connection implements Subscriber, Backlog {
        private final String id;
        final List<EventEnvelope> received = new ArrayList<>();
        int pending;

        Connection(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void deliver(OutboundEvent event) {
            received.add(event.envelope());
        }

        @Override
        public int pending() {
            return pending;
        }
    }

    private final ConsumerGroups groups = new ConsumerGroups("test-region", 8);
    private final GroupKey key = new GroupKey("workers", TopicPattern.parse("orders/#"), "");

    private static OutboundEvent event(int n, String partitionKey) {
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder().setEventId("e" + n).setTopic("orders/x");
        if (partitionKey != null) {
            envelope.putHeaders(KafkaEventCodec.PARTITION_KEY, partitionKey);
        }
        return new OutboundEvent(envelope.build());
    }

    @Test
    void handsEachEventToExactlyOneMember() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        ConsumerGroup group = groups.join(key, a, null).group();
        groups.join(key, b, null);
        for (int n = 0; n < 100; n++) {
            group.deliver(event(n, null));
        }
        assertThat(a.received.size() + b.received.size()).isEqualTo(100);
        assertThat(a.received).isNotEmpty();
        assertThat(b.received).isNotEmpty();
    }

    @Test
    void keepsTheEventsOfAPartitionKeyWithOneMemberInOrder() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        ConsumerGroup group = groups.join(key, a, null).group();
        groups.join(key, b, null);
        for (int n = 0; n < 50; n++) {
            group.deliver(event(n, "customer-7"));
        }
        List<EventEnvelope> all = a.received.isEmpty() ? b.received : a.received;
        assertThat(all).extracting(EventEnvelope::getEventId)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(n -> "e" + n).toList());
    }

    @Test
    void tellsTheNextDeliveryOfEventsLostWithAMemberWhoseConnectionEnded() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        ConsumerGroup group = groups.join(key, a, null).group();
        groups.join(key, b, null);
        a.pending = 3; // handed over, never written: the connection is gone
        groups.leaveAll(a);
        group.deliver(event(1, null));
        group.deliver(event(2, null));
        assertThat(b.received).extracting(EventEnvelope::getDroppedBefore).containsExactly(3L, 0L);
    }

    @Test
    void countsNothingAsDroppedWhenAMemberUnsubscribesOnALiveConnection() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        ConsumerGroup group = groups.join(key, a, null).group();
        groups.join(key, b, null);
        a.pending = 3; // still written to the client, which stays connected
        assertThat(groups.leave(key, a)).isTrue();
        group.deliver(event(1, null));
        assertThat(b.received).extracting(EventEnvelope::getDroppedBefore).containsExactly(0L);
    }

    @Test
    void isRemovedWithItsLastMemberOnly() {
        Connection a = new Connection("a");
        Connection b = new Connection("b");
        assertThat(groups.join(key, a, null).first()).isTrue();
        assertThat(groups.join(key, b, null).first()).isFalse();
        assertThat(groups.join(key, b, null).added()).isFalse();
        groups.leaveAll(a);
        assertThat(groups.removeIfEmpty(key)).isEmpty();
        groups.leaveAll(b);
        assertThat(groups.removeIfEmpty(key)).isPresent();
        assertThat(groups.groupCount()).isZero();
    }
}
