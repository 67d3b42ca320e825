package io.meshwork.edge.internal.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.meshwork.edge.SubscriberQueueSettings;
import io.meshwork.edge.internal.delivery.DeliveryPolicy;
import io.meshwork.edge.internal.stream.OutboundEvent;
import io.meshwork.edge.internal.stream.StreamFrames;
import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The connection queue's policies, bounds and loss accounting, without any transport. */
class EgressQueueTest {

    private static final long KIB = 1024;

    /** Counts what the queue reports. */
    private static final class Recording implements EgressListener {
        final List<String> episodes = new ArrayList<>();
        long dropped;
        final List<Long> caughtUp = new ArrayList<>();

        @Override
        public void dropped(EgressLane lane, int events, boolean episodeStarted) {
            dropped += events;
            if (episodeStarted) {
                episodes.add(lane.pattern());
            }
        }

        @Override
        public void caughtUp(EgressLane lane, long droppedInEpisode) {
            caughtUp.add(droppedInEpisode);
        }
    }

    private final Recording listener = new Recording();

    private EgressQueue queue(int maxMessages, long maxBytes) {
        return new EgressQueue(new SubscriberQueueSettings(maxMessages, maxBytes, Duration.ofSeconds(1)), listener);
    }

    private static OutboundEvent event(String id, String topic) {
        return new OutboundEvent(EventEnvelope.newBuilder().setEventId(id).setTopic(topic).build());
    }

    private static String offer(EgressQueue queue, EgressLane lane, String id, String topic, int bytes) {
        return queue.offer(lane, event(id, topic), topic, bytes, 0);
    }

    private static List<String> drain(EgressQueue queue, List<Long> droppedBefore) {
        List<String> ids = new ArrayList<>();
        for (EgressEntry entry = queue.poll(); entry != null; entry = queue.poll()) {
            ids.add(entry.isControl() ? "control" : entry.frame().envelope().getEventId());
            droppedBefore.add(entry.droppedBefore());
        }
        return ids;
    }

    @Test
    void dropOldestKeepsTheNewestEventsWithinTheMessageBoundAndTellsTheLossOnTheNextDelivery() {
        EgressQueue queue = queue(3, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.DROP_OLDEST, "ticks/#");

        for (int i = 1; i <= 5; i++) {
            assertThat(offer(queue, lane, "e" + i, "ticks/a", 100)).isNull();
        }

        assertThat(queue.messages()).isEqualTo(3);
        List<Long> droppedBefore = new ArrayList<>();
        assertThat(drain(queue, droppedBefore)).containsExactly("e3", "e4", "e5");
        assertThat(droppedBefore).containsExactly(2L, 0L, 0L);
        assertThat(listener.episodes).containsExactly("ticks/#");
        assertThat(listener.dropped).isEqualTo(2);
        assertThat(listener.caughtUp).containsExactly(2L);
    }

    @Test
    void dropOldestHoldsTheByteBound() {
        EgressQueue queue = queue(1000, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.DROP_OLDEST, "big/#");

        for (int i = 0; i < 100; i++) {
            offer(queue, lane, "e" + i, "big/x", 10_000);
        }

        assertThat(queue.bytes()).isLessThanOrEqualTo(64 * KIB).isEqualTo(60_000);
        assertThat(queue.messages()).isEqualTo(6);
        assertThat(listener.dropped).isEqualTo(94);
        assertThat(listener.episodes).hasSize(1);
    }

    @Test
    void anEventLargerThanTheWholeBoundIsDroppedAndCounted() {
        EgressQueue queue = queue(10, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.DROP_OLDEST, "big/#");

        offer(queue, lane, "huge", "big/x", 100_000);
        offer(queue, lane, "small", "big/x", 10);

        List<Long> droppedBefore = new ArrayList<>();
        assertThat(drain(queue, droppedBefore)).containsExactly("small");
        assertThat(droppedBefore).containsExactly(1L);
    }

    @Test
    void conflateKeepsTheLatestEventPerTopicInTheFirstOnesTurn() {
        EgressQueue queue = queue(100, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.CONFLATE, "prices/#");

        offer(queue, lane, "a1", "prices/a", 10);
        offer(queue, lane, "b1", "prices/b", 10);
        offer(queue, lane, "a2", "prices/a", 20);
        offer(queue, lane, "a3", "prices/a", 30);
        offer(queue, lane, "c1", "prices/c", 10);

        assertThat(queue.messages()).isEqualTo(3);
        assertThat(queue.bytes()).isEqualTo(50);
        List<Long> droppedBefore = new ArrayList<>();
        assertThat(drain(queue, droppedBefore)).containsExactly("a3", "b1", "c1");
        assertThat(droppedBefore).containsExactly(2L, 0L, 0L);
        // Once delivered, a topic's next event queues afresh.
        offer(queue, lane, "a4", "prices/a", 10);
        assertThat(drain(queue, new ArrayList<>())).containsExactly("a4");
    }

    @Test
    void conflateBeyondTheBoundDropsItsOldestTopics() {
        EgressQueue queue = queue(2, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.CONFLATE, "prices/#");

        offer(queue, lane, "a1", "prices/a", 10);
        offer(queue, lane, "b1", "prices/b", 10);
        offer(queue, lane, "c1", "prices/c", 10);
        offer(queue, lane, "a2", "prices/a", 10);

        assertThat(drain(queue, new ArrayList<>())).containsExactly("c1", "a2");
        assertThat(listener.dropped).isEqualTo(2);
    }

    @Test
    void disconnectDropsNothingAndNamesTheBoundItPassed() {
        EgressQueue queue = queue(2, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.DISCONNECT, "orders/#");

        assertThat(offer(queue, lane, "e1", "orders/a", 10)).isNull();
        assertThat(offer(queue, lane, "e2", "orders/a", 10)).isNull();
        assertThat(offer(queue, lane, "e3", "orders/a", 10)).isEqualTo("more than 2 events pending");

        EgressQueue bytes = queue(100, 64 * KIB);
        EgressLane byteLane = bytes.open(DeliveryPolicy.DISCONNECT, "orders/#");
        assertThat(offer(bytes, byteLane, "e1", "orders/a", 60_000)).isNull();
        assertThat(offer(bytes, byteLane, "e2", "orders/a", 10_000)).isEqualTo("more than 65536 bytes pending");
        assertThat(listener.dropped).isZero();
        assertThat(drain(queue, new ArrayList<>())).containsExactly("e1", "e2");
    }

    @Test
    void disconnectPastTheWriteDeadlineOfTheOldestQueuedEvent() {
        EgressQueue queue = queue(100, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.DISCONNECT, "orders/#");
        long start = 1_000_000_000L;

        assertThat(queue.offer(lane, event("e1", "orders/a"), "orders/a", 10, start)).isNull();
        assertThat(queue.offer(lane, event("e2", "orders/a"), "orders/a", 10, start + Duration.ofMillis(900).toNanos())).isNull();
        assertThat(queue.offer(lane, event("e3", "orders/a"), "orders/a", 10, start + Duration.ofMillis(1100).toNanos()))
                .isEqualTo("write deadline: an event waited more than 1000 ms unwritten");
    }

    @Test
    void onlyTheLaneAnEventArrivesForGivesWayAndOrderIsKeptAcrossLanesAndControlFrames() {
        EgressQueue queue = queue(3, 64 * KIB);
        EgressLane strict = queue.open(DeliveryPolicy.DISCONNECT, "orders/#");
        EgressLane lossy = queue.open(DeliveryPolicy.DROP_OLDEST, "ticks/#");

        offer(queue, strict, "o1", "orders/a", 10);
        queue.offerControl(new OutboundEvent(StreamFrames.control(StreamControl.newBuilder().setType(StreamControl.Type.SUBSCRIBED))));
        offer(queue, lossy, "t1", "ticks/a", 10);
        offer(queue, strict, "o2", "orders/a", 10);
        offer(queue, lossy, "t2", "ticks/a", 10); // full: t1 goes, the orders stay

        List<Long> droppedBefore = new ArrayList<>();
        assertThat(drain(queue, droppedBefore)).containsExactly("o1", "control", "o2", "t2");
        assertThat(droppedBefore).containsExactly(0L, 0L, 0L, 1L);
    }

    @Test
    void aClosedLaneStillDeliversWhatItQueuedAndClearForgetsEverything() {
        EgressQueue queue = queue(10, 64 * KIB);
        EgressLane lane = queue.open(DeliveryPolicy.DROP_OLDEST, "a/#");
        offer(queue, lane, "e1", "a/x", 10);
        queue.close(lane);

        assertThat(drain(queue, new ArrayList<>())).containsExactly("e1");

        EgressLane other = queue.open(DeliveryPolicy.CONFLATE, "b/#");
        offer(queue, other, "e2", "b/x", ByteString.copyFromUtf8("x").size());
        queue.clear();
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
        assertThat(listener.dropped).isZero();
    }

    @Test
    void aCutSubscriptionsQueuedEventsAreDroppedWhileTheOtherLaneAndControlFramesStay() {
        EgressQueue queue = queue(100, 64 * KIB);
        EgressLane cut = queue.open(DeliveryPolicy.DROP_OLDEST, "secret/#");
        EgressLane kept = queue.open(DeliveryPolicy.DROP_OLDEST, "open/#");
        offer(queue, cut, "s1", "secret/a", 100);
        offer(queue, kept, "o1", "open/a", 100);
        offer(queue, cut, "s2", "secret/a", 100);
        queue.offerControl(new OutboundEvent(EventEnvelope.newBuilder().setTopic("secret/durable").build()));

        assertThat(queue.discard(cut)).isEqualTo(2);
        assertThat(offer(queue, cut, "s3", "secret/a", 100)).as("offered as the cut happened: not queued").isNull();

        assertThat(queue.messages()).isEqualTo(1);
        assertThat(queue.bytes()).isEqualTo(100);
        assertThat(queue.discardControls(frame -> frame.getTopic().startsWith("secret/"))).isEqualTo(1);
        assertThat(drain(queue, new ArrayList<>())).containsExactly("o1");
        assertThat(listener.dropped).as("not a delivery policy's loss: the caller counts it").isZero();
    }
}
