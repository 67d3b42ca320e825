package io.meshwork.embedded.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class WanEmulatorTest {

    private final WanEmulator wan = new WanEmulator();

    @AfterEach
    void tearDown() {
        wan.close();
    }

    @Test
    void cutAndHealActOnBothDirections() {
        WanLink usEu = wan.open("us-east-1", "eu-west-1", Duration.ofMillis(70));
        WanLink euUs = wan.open("eu-west-1", "us-east-1", Duration.ofMillis(70));
        WanLink euAp = wan.open("eu-west-1", "ap-southeast-1", Duration.ofMillis(120));

        wan.cut("eu-west-1", "us-east-1");

        assertThat(usEu.isUp()).isFalse();
        assertThat(euUs.isUp()).isFalse();
        assertThat(euAp.isUp()).isTrue();

        wan.heal("us-east-1", "eu-west-1");

        assertThat(usEu.isUp()).isTrue();
        assertThat(euUs.isUp()).isTrue();
    }

    @Test
    void looksUpLinksByDirection() {
        WanLink usEu = wan.open("us-east-1", "eu-west-1", Duration.ofMillis(70));

        assertThat(wan.link("us-east-1", "eu-west-1")).isSameAs(usEu);
        assertThat(wan.links()).containsExactly(usEu);
        assertThatIllegalArgumentException().isThrownBy(() -> wan.link("eu-west-1", "us-east-1"))
                .withMessageContaining("eu-west-1->us-east-1");
    }

    @Test
    void unknownPairsAndDuplicatesAreRejected() {
        wan.open("us-east-1", "eu-west-1", Duration.ofMillis(70));

        assertThatIllegalArgumentException().isThrownBy(() -> wan.cut("us-east-1", "ap-southeast-1"))
                .withMessageContaining("us-east-1").withMessageContaining("ap-southeast-1");
        assertThatIllegalArgumentException().isThrownBy(() -> wan.heal("eu-west-1", "ap-southeast-1"))
                .withMessageContaining("eu-west-1").withMessageContaining("ap-southeast-1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> wan.open("us-east-1", "eu-west-1", Duration.ofMillis(70)))
                .withMessageContaining("us-east-1->eu-west-1");
    }

    @Test
    void closeClosesEveryLink() {
        WanLink usEu = wan.open("us-east-1", "eu-west-1", Duration.ofMillis(70));
        WanLink euUs = wan.open("eu-west-1", "us-east-1", Duration.ofMillis(70));

        wan.close();

        assertThat(usEu.isUp()).isFalse();
        assertThat(euUs.isUp()).isFalse();
    }
}
