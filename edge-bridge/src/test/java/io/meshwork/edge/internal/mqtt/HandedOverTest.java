package io.meshwork.edge.internal.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HandedOverTest {

    @Test
    void anEventIsHandedOverOnceBySourceAndId() {
        HandedOver handedOver = new HandedOver(10);

        assertThat(handedOver.first("/a", "1")).isTrue();
        assertThat(handedOver.first("/a", "1")).isFalse();
        assertThat(handedOver.first("/b", "1")).isTrue();
        assertThat(handedOver.first("/a", "2")).isTrue();
    }

    @Test
    void theOldestEventIsForgottenBeyondTheCapacity() {
        HandedOver handedOver = new HandedOver(2);
        handedOver.first("/a", "1");
        handedOver.first("/a", "2");
        handedOver.first("/a", "3");

        assertThat(handedOver.first("/a", "3")).isFalse();
        assertThat(handedOver.first("/a", "1")).isTrue();
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThatThrownBy(() -> new HandedOver(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }
}
