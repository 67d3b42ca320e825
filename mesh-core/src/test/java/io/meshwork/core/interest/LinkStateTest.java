package io.meshwork.core.interest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkStateTest {

    @Test
    void answersForLinksMeasuredRttsAndSpoolProgress() {
        LinkState state = new LinkState("ap-southeast-1", 42, 1_000, Map.of("us-east-1", false, "eu-west-1", true),
                Map.of("eu-west-1", 121L), Map.of("eu-west-1", Map.of(0, 17L, 2, 99L)),
                Map.of("us-east-1", "eu-west-1", "eu-west-1", "eu-west-1"));

        assertThat(state.hears("us-east-1")).isFalse();
        assertThat(state.hears("unreported")).isTrue();
        assertThat(state.rttTo("eu-west-1")).hasValue(121);
        assertThat(state.rttTo("us-east-1")).isEmpty();
        assertThat(state.receivedFrom("eu-west-1")).containsEntry(2, 99L);
        assertThat(state.receivedFrom("us-east-1")).isEmpty();
        assertThat(state.nextHops()).containsEntry("us-east-1", "eu-west-1");
    }

    @Test
    void sameTopologyIgnoresSequenceAndProgressButNotCosts() {
        LinkState a = new LinkState("us-east-1", 1, 0, Map.of("eu-west-1", true), Map.of("eu-west-1", 70L), Map.of());
        LinkState later = new LinkState("us-east-1", 2, 500, Map.of("eu-west-1", true), Map.of("eu-west-1", 70L),
                Map.of("eu-west-1", Map.of(0, 5L)));
        LinkState slower = new LinkState("us-east-1", 3, 1000, Map.of("eu-west-1", true), Map.of("eu-west-1", 140L), Map.of());

        assertThat(later.sameTopologyAs(a)).isTrue();
        assertThat(slower.sameTopologyAs(a)).isFalse();
        assertThat(a.sameTopologyAs(null)).isFalse();
    }
}
