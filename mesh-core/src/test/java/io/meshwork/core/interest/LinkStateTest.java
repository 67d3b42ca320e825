package io.meshwork.core.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkStateTest {

    @Test
    void roundTripsLinksMeasuredRttsAndSpoolProgress() {
        LinkState state = new LinkState("ap-southeast-1", 42, 1_000, Map.of("us-east-1", false, "eu-west-1", true),
                Map.of("eu-west-1", 121L), Map.of("eu-west-1", Map.of(0, 17L, 2, 99L)));

        LinkState decoded = LinkState.decode(state.encode());

        assertThat(decoded).isEqualTo(state);
        assertThat(decoded.hears("us-east-1")).isFalse();
        assertThat(decoded.rttTo("eu-west-1")).hasValue(121);
        assertThat(decoded.rttTo("us-east-1")).isEmpty();
        assertThat(decoded.receivedFrom("eu-west-1")).containsEntry(2, 99L);
        assertThat(decoded.receivedFrom("us-east-1")).isEmpty();
    }

    @Test
    void recordsWithoutMeasurementsStillDecode() {
        byte[] older = "{\"kind\":\"linkstate\",\"origin\":\"us-east-1\",\"seq\":3,\"sentAtMs\":5,\"links\":{\"eu-west-1\":true}}"
                .getBytes(StandardCharsets.UTF_8);

        LinkState decoded = LinkState.decode(older);

        assertThat(decoded.links()).containsEntry("eu-west-1", true);
        assertThat(decoded.rttMs()).isEmpty();
        assertThat(decoded.received()).isEmpty();
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

    @Test
    void refusesWhatIsNotALinkState() {
        assertThatThrownBy(() -> LinkState.decode("{\"kind\":\"advert\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a link state");
    }
}
