package io.meshwork.embedded.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.PrimitiveIterator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void neverHandsOutAPortTwice() {
        PrimitiveIterator.OfInt kernel = IntStream.of(61_001, 61_001, 61_001, 61_002).iterator();

        int first = Ports.pickFree(kernel::nextInt);
        int second = Ports.pickFree(kernel::nextInt);

        assertThat(first).isEqualTo(61_001);
        assertThat(second).isEqualTo(61_002);
    }

    @Test
    void givesUpWhenOnlyHandedOutPortsComeBack() {
        Ports.pickFree(() -> 61_010);

        assertThatThrownBy(() -> Ports.pickFree(() -> 61_010))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already");
    }

    @Test
    void picksPortsThatAreFreeOnLoopback() {
        int port = Ports.pickFree();

        assertThat(Ports.isTaken(port)).isFalse();
    }
}
