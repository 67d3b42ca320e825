package io.meshwork.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InterestKeyTest {

    @Test
    void subscriptionKeysRoundTripEvenWithBarsInPatternAndSelector() {
        var key = InterestKey.subscription("edge-us-1", "orders/a|b/#", "x = 'a|b'");
        assertThat(InterestKey.decode(key.encode())).isEqualTo(key);
        var plain = InterestKey.subscription("edge-us-1", "orders/#", "");
        assertThat(plain.encode()).isEqualTo("sub|edge-us-1|0|orders/#");
        assertThat(InterestKey.decode(plain.encode())).isEqualTo(plain);
    }

    @Test
    void leaseKeysRoundTrip() {
        var lease = InterestKey.lease("edge-us-1");
        assertThat(lease.isLease()).isTrue();
        assertThat(InterestKey.decode("lease|edge-us-1")).isEqualTo(lease);
    }

    @Test
    void garbageIsRejected() {
        assertThatThrownBy(() -> InterestKey.decode("sub|e|x|y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InterestKey.decode("hello")).hasMessageContaining("not an interest key");
        assertThatThrownBy(() -> InterestKey.decode("sub|e|5|ab")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leaseExpiresAtItsDeadline() {
        var lease = new EdgeLease("us-east-1", 1_000);
        assertThat(lease.isExpired(999)).isFalse();
        assertThat(lease.isExpired(1_000)).isTrue();
        assertThat(EdgeLease.decode(lease.encode())).isEqualTo(lease);
    }
}
