package io.meshwork.edge.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.schema.v1.EventEnvelope;
import io.meshwork.schema.v1.StreamControl;
import io.meshwork.schema.v1.SubscriptionRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumePointsTest {

    private final ResumePoints points = new ResumePoints();
    private final SubscriptionRequest durableOrders = subscription("orders/#", "durable", "");
    private final SubscriptionRequest durableFleet = subscription("fleet/#", "durable", "first-token");
    private final SubscriptionRequest plainOrders = subscription("orders/eu/#", "", "");
    private final List<SubscriptionRequest> all = List.of(durableOrders, durableFleet, plainOrders);

    private static SubscriptionRequest subscription(String pattern, String policy, String token) {
        return SubscriptionRequest.newBuilder().setClientId("c").setAction(SubscriptionRequest.Action.SUBSCRIBE)
                .setTopicPattern(pattern).setDeliveryPolicy(policy).setResumeToken(token).build();
    }

    private static EventEnvelope event(String topic, String token) {
        return EventEnvelope.newBuilder().setEventId("e").setTopic(topic).setResumeToken(token).build();
    }

    @Test
    void aDurableSubscriptionResumesAfterTheLastEventOfItsTopics() {
        points.seen(event("orders/eu/1", "t1"), all);
        points.seen(event("orders/us/2", "t2"), all);

        assertThat(points.resume(durableOrders).getResumeToken()).isEqualTo("t2");
    }

    @Test
    void aDurableSubscriptionThatGotNothingKeepsTheTokenItWasGiven() {
        points.seen(event("orders/eu/1", "t1"), all);

        assertThat(points.resume(durableFleet).getResumeToken()).isEqualTo("first-token");
    }

    @Test
    void aDurableSubscriptionLostBeforeItsFirstEventResumesWhereItsEdgeConfirmedIt() {
        points.confirmed(subscribed(durableOrders), "start", keyed());

        assertThat(points.resume(durableOrders).getResumeToken()).isEqualTo("start");
    }

    @Test
    void eventsAfterTheConfirmationMoveTheResumePointOn() {
        points.confirmed(subscribed(durableOrders), "start", keyed());
        points.seen(event("orders/eu/1", "t1"), all);

        assertThat(points.resume(durableOrders).getResumeToken()).isEqualTo("t1");
    }

    @Test
    void aConfirmationOfAnUnknownSubscriptionIsIgnored() {
        points.confirmed(subscribed(subscription("other/#", "durable", "")), "start", keyed());

        assertThat(points.resume(durableOrders).getResumeToken()).isEmpty();
    }

    @Test
    void aNonDurableSubscriptionLostBeforeItsFirstEventResumesFromItsConfirmationSoItsGapIsCounted() {
        points.confirmed(subscribed(plainOrders), "start", keyed());

        assertThat(points.resume(plainOrders).getResumeToken()).isEqualTo("start");
    }

    private Map<SubscriptionKey, SubscriptionRequest> keyed() {
        Map<SubscriptionKey, SubscriptionRequest> byKey = new LinkedHashMap<>();
        all.forEach(subscription -> byKey.put(SubscriptionKey.of(subscription), subscription));
        return byKey;
    }

    private static StreamControl subscribed(SubscriptionRequest request) {
        return StreamControl.newBuilder().setType(StreamControl.Type.SUBSCRIBED).setClientId(request.getClientId())
                .setTopicPattern(request.getTopicPattern()).setFilterExpression(request.getFilterExpression()).build();
    }

    @Test
    void aNonDurableSubscriptionIsSentAgainWithItsLastTokenSoTheNewEdgeCountsItsGap() {
        points.seen(event("orders/eu/1", "t1"), all);

        assertThat(points.resume(plainOrders).getResumeToken()).isEqualTo("t1");
    }

    @Test
    void aConsumerGroupMemberIsSentAgainWithoutAToken() {
        SubscriptionRequest member = plainOrders.toBuilder().setGroup("workers").build();
        points.seen(event("orders/eu/1", "t1"), List.of(member));

        assertThat(points.resume(member)).isEqualTo(member);
    }

    @Test
    void eventsWithoutATokenChangeNothing() {
        points.seen(event("orders/eu/1", "t1"), all);
        points.seen(event("orders/eu/2", ""), all);

        assertThat(points.resume(durableOrders).getResumeToken()).isEqualTo("t1");
    }

    @Test
    void aForgottenSubscriptionStartsAfresh() {
        points.seen(event("orders/eu/1", "t1"), all);
        points.forget(SubscriptionKey.of(durableOrders));

        assertThat(points.resume(durableOrders).getResumeToken()).isEmpty();
    }
}
