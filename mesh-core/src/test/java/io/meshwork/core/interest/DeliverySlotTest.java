package io.meshwork.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeliverySlotTest {

    @Test
    void aTaggedEdgeIdCarriesItsSlotAndAnUntaggedOneNone() {
        String tagged = new DeliverySlot(7).tag("edge-us-east-1-1a2b3c4d");
        assertThat(tagged).isEqualTo("edge-us-east-1-1a2b3c4d@slot7");
        assertThat(DeliverySlot.of(tagged)).contains(new DeliverySlot(7));
        assertThat(DeliverySlot.of("edge-us-east-1-1a2b3c4d")).isEmpty();
        // A tagged id is still a valid interest key id, so the router's existing parsing is unchanged.
        assertThat(InterestKey.decode(InterestKey.subscription(tagged, "a/#", "").encode()).edgeId()).isEqualTo(tagged);
    }

    @Test
    void malformedTagsReadAsDirectMode() {
        assertThat(DeliverySlot.of("edge@slot")).isEmpty();
        assertThat(DeliverySlot.of("edge@slotx1")).isEmpty();
        assertThat(DeliverySlot.of("edge@slot-1")).isEmpty();
        assertThat(DeliverySlot.of("edge@slot99999999999")).isEmpty();
    }

    @Test
    void anIdIsTaggedOnlyOnce() {
        assertThatThrownBy(() -> new DeliverySlot(1).tag("edge@slot2")).hasMessageContaining("already carries");
        assertThatThrownBy(() -> new DeliverySlot(-1)).hasMessageContaining("0 or more");
    }

    @Test
    void hashedSlotsAreStableAndSpreadOverEveryPartition() {
        assertThat(DeliverySlot.hashed("edge-a", 16)).isEqualTo(DeliverySlot.hashed("edge-a", 16));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            int slot = DeliverySlot.hashed("edge-us-east-1-" + i, 16).partition();
            assertThat(slot).isBetween(0, 15);
            seen.add(slot);
        }
        assertThat(seen).hasSize(16);
        assertThatThrownBy(() -> DeliverySlot.hashed("edge-a", 0)).hasMessageContaining("at least 1");
    }

    @Test
    void markersRoundTripAndOtherRecordsAreNoMarkers() {
        var marker = new DeliveryMarker(InterestKey.subscription("edge@slot3", "orders/#", "amount > 5"), 42);
        var headers = new RecordHeaders().add(DeliveryMarker.HEADER, new byte[] {1});
        assertThat(DeliveryMarker.isMarker(headers)).isTrue();
        assertThat(DeliveryMarker.read(marker.subscription().encode(), headers, marker.encodeValue())).contains(marker);
        assertThat(DeliveryMarker.isMarker(new RecordHeaders())).isFalse();
        assertThat(DeliveryMarker.read(marker.subscription().encode(), new RecordHeaders(), marker.encodeValue())).isEmpty();
        assertThat(DeliveryMarker.read("lease|edge", headers, marker.encodeValue())).isEmpty();
        assertThat(DeliveryMarker.read("garbage", headers, marker.encodeValue())).isEmpty();
        assertThatThrownBy(() -> new DeliveryMarker(InterestKey.lease("edge"), 1)).hasMessageContaining("not a lease");
    }
}
