package io.meshwork.connectors.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkModeTest {

    @Test
    void readsEitherModeInAnyCase() {
        assertThat(LinkMode.parse("push")).isEqualTo(LinkMode.PUSH);
        assertThat(LinkMode.parse(" MirrorMaker ")).isEqualTo(LinkMode.MIRRORMAKER);
        assertThat(LinkMode.MIRRORMAKER).hasToString("mirrormaker");
    }

    @Test
    void anUnknownModeIsRefusedNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> LinkMode.parse("mm2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[push, mirrormaker]")
                .hasMessageContaining("'mm2'");
    }
}
