package io.meshwork.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.interest.DeliverySlot;
import io.meshwork.core.interest.InterestKey;
import io.meshwork.core.selector.SelectorContext;
import io.meshwork.core.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EdgeSlotsTest {

    private static final String EDGE_A = new DeliverySlot(3).tag("edge-us-east-1-aaaa");
    private static final String EDGE_B = new DeliverySlot(9).tag("edge-us-east-1-bbbb");
    private static final String EDGE_A2 = new DeliverySlot(3).tag("edge-us-east-1-cccc");

    private final EdgeSlots slots = new EdgeSlots();

    private static SelectorContext json(String json) {
        return SelectorContext.of(Map.of(), json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private OptionalInt subscribe(String edge, String pattern, String selector) {
        return slots.apply(InterestKey.subscription(edge, pattern, selector), true);
    }

    @Test
    void eachEventGoesToTheSlotsWhosePatternsMatchOncePerSlot() {
        assertThat(subscribe(EDGE_A, "orders/#", "")).hasValue(3);
        subscribe(EDGE_A, "orders/+/checkout", "");
        subscribe(EDGE_B, "orders/eu/#", "");

        assertThat(slots.slotsFor(TopicName.of("orders/eu/checkout"), () -> json("{}"))).containsExactlyInAnyOrder(3, 9);
        assertThat(slots.slotsFor(TopicName.of("orders/us/checkout"), () -> json("{}"))).containsExactly(3);
        assertThat(slots.slotsFor(TopicName.of("billing/eu"), () -> json("{}"))).isEmpty();
    }

    @Test
    void aSelectorKeepsEventsItRejectsAwayFromTheSlot() {
        subscribe(EDGE_A, "pay/#", "amountCents > 100");
        subscribe(EDGE_B, "pay/#", "currency = 'EUR'");

        assertThat(slots.slotsFor(TopicName.of("pay/x"), () -> json("{\"amountCents\":500,\"currency\":\"USD\"}"))).containsExactly(3);
        assertThat(slots.slotsFor(TopicName.of("pay/x"), () -> json("{\"amountCents\":5,\"currency\":\"EUR\"}"))).containsExactly(9);
        assertThat(slots.slotsFor(TopicName.of("pay/x"), () -> json("{\"amountCents\":5,\"currency\":\"USD\"}"))).isEmpty();
    }

    @Test
    void twoEdgesSharingASlotGetOneCopyAndTheSlotStaysWhileEitherHoldsThePattern() {
        subscribe(EDGE_A, "t/#", "");
        subscribe(EDGE_A2, "t/#", "");
        assertThat(slots.slotsFor(TopicName.of("t/1"), () -> json("{}"))).containsExactly(3);

        slots.apply(InterestKey.subscription(EDGE_A, "t/#", ""), false);
        assertThat(slots.slotsFor(TopicName.of("t/1"), () -> json("{}"))).containsExactly(3);
        slots.apply(InterestKey.subscription(EDGE_A2, "t/#", ""), false);
        assertThat(slots.slotsFor(TopicName.of("t/1"), () -> json("{}"))).isEmpty();
        assertThat(slots.isEmpty()).isTrue();
    }

    @Test
    void edgesInDirectModeLeasesAndTombstonesAreNotRoutedFor() {
        assertThat(subscribe("edge-us-east-1-direct", "t/#", "")).isEmpty();
        assertThat(slots.apply(InterestKey.lease(EDGE_A), true)).isEmpty();
        assertThat(slots.isEmpty()).isTrue();
        subscribe(EDGE_A, "t/#", "");
        assertThat(slots.apply(InterestKey.subscription(EDGE_A, "t/#", ""), false)).isEmpty();
        assertThat(slots.slotsFor(TopicName.of("t/1"), () -> json("{}"))).isEmpty();
    }

    @Test
    void anInvalidSelectorIsIgnoredRatherThanRoutedForEverything() {
        assertThat(subscribe(EDGE_A, "t/#", "amount >")).isEmpty();
        assertThat(slots.slotsFor(TopicName.of("t/1"), () -> json("{}"))).isEmpty();
    }
}
