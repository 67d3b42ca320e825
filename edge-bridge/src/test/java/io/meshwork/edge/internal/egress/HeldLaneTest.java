package io.meshwork.edge.internal.egress;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.schema.v1.EventEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A lane held while a resumed subscription's failover gap is counted, then released with the gap. */
class HeldLaneTest {

    private final List<String> gaps = new ArrayList<>();
    private final EgressQueue queue = new EgressQueue(new SubscriberQueueSettings(100, 1 << 20, Duration.ofSeconds(1)),
            new EgressListener() {
                @Override
                public void dropped(EgressLane lane, int events, boolean episodeStarted) {
                }

                @Override
                public void caughtUp(EgressLane lane, long droppedInEpisode) {
                }

                @Override
                public void failoverGap(EgressLane lane, long events, boolean exact) {
                    gaps.add(lane.pattern() + " " + events + (exact ? " exact" : " at most"));
                }
            });

    private void offer(EgressLane lane, String id) {
        queue.offer(lane, new OutboundEvent(EventEnvelope.newBuilder().setEventId(id).setTopic("t/a").build()), "t/a", 10, 0);
    }

    @Test
    void aHeldLaneWaitsAndItsFirstDeliveryCarriesTheGapOnceReleased() {
        EgressLane held = queue.open(DeliveryPolicy.DROP_OLDEST, "t/#");
        EgressLane other = queue.open(DeliveryPolicy.DROP_OLDEST, "o/#");
        queue.hold(held);
        offer(held, "h1");
        offer(other, "o1");

        EgressEntry first = queue.poll();
        assertThat(first.frame().envelope().getEventId()).isEqualTo("o1");
        assertThat(queue.poll()).isNull();
        assertThat(queue.isEmpty()).as("nothing a writer could take: it must not spin").isTrue();

        queue.release(held, 7, true);
        assertThat(queue.isEmpty()).isFalse();
        EgressEntry released = queue.poll();
        assertThat(released.frame().envelope().getEventId()).isEqualTo("h1");
        assertThat(released.droppedBefore()).isEqualTo(7);
        assertThat(gaps).containsExactly("t/# 7 exact");

        offer(held, "h2");
        assertThat(queue.poll().droppedBefore()).as("told once").isZero();
    }

    @Test
    void aReleaseWithoutAGapTellsNothing() {
        EgressLane held = queue.open(DeliveryPolicy.CONFLATE, "t/#");
        queue.hold(held);
        offer(held, "h1");
        queue.release(held, 0, true);

        assertThat(queue.poll().droppedBefore()).isZero();
        assertThat(gaps).isEmpty();
    }
}
