package io.meshwork.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshwork.core.trace.TraceMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MeshHeaderCodecTest {

    private static Headers headers(String... keyValues) {
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < keyValues.length; i += 2) {
            headers.add(keyValues[i], keyValues[i + 1] == null ? null : keyValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static String only(Headers headers, String key) {
        assertThat(headers.headers(key)).hasSize(1);
        return MeshHeaderCodec.text(headers, key);
    }

    @Test
    void routingIsWrittenAndReadBack() {
        Headers headers = headers();
        Routing routing = new Routing("us-east-1", List.of("us-east-1", "eu-west-1"), 15);

        MeshHeaderCodec.writeRouting(headers, routing);
        MeshHeaderCodec.writeRouting(headers, routing);

        assertThat(only(headers, "mesh_origin")).isEqualTo("us-east-1");
        assertThat(only(headers, "mesh_path")).isEqualTo("us-east-1,eu-west-1");
        assertThat(only(headers, "mesh_hops")).isEqualTo("15");
        assertThat(MeshHeaderCodec.routing(headers)).contains(routing);
    }

    @Test
    void noRoutingHeadersMeansNoRouting() {
        assertThat(MeshHeaderCodec.routing(headers("ce_id", "e1"))).isEmpty();
    }

    @Test
    void theLastRoutingHeaderWinsAndTheHopBudgetMayHaveBlanks() {
        Headers headers = headers("mesh_origin", "ap-southeast-1", "mesh_path", "x", "mesh_path", "ap-southeast-1", "mesh_hops", " 7 ");

        assertThat(MeshHeaderCodec.routing(headers)).contains(new Routing("ap-southeast-1", List.of("ap-southeast-1"), 7));
    }

    @Test
    void aMissingRoutingHeaderIsNamedWhileTheOthersArePresent() {
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_path", "a", "mesh_hops", "3")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_origin"))
                .hasMessageContaining("'mesh_origin' is missing");
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_hops", "3")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_path"));
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_path", "a")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"));
    }

    @Test
    void aHopBudgetThatIsNotANumberIsNamed() {
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_path", "a", "mesh_hops", "many")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"))
                .hasMessageContaining("not a number: 'many'");
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_path", "a", "mesh_hops", null)))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"));
    }

    @Test
    void aHopBudgetOutOfRangeIsNamed() {
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_path", "a", "mesh_hops", "-1")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"));
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_path", "a", "mesh_hops", "256")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_hops"));
    }

    @Test
    void aBadPathIsNamed() {
        for (String bad : new String[] {"", "a,,b", "a, ", ","}) {
            assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", "a", "mesh_path", bad, "mesh_hops", "3")))
                    .as("path '%s'", bad)
                    .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_path"));
        }
    }

    @Test
    void aBlankOriginIsNamed() {
        assertThatThrownBy(() -> MeshHeaderCodec.routing(headers("mesh_origin", " ", "mesh_path", "a", "mesh_hops", "3")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).isEqualTo("mesh_origin"));
    }

    @Test
    void destinationsAreReadTrimmedInOrderAndReplacedOnWrite() {
        Headers headers = headers("mesh_dest", "b, a,,c ");

        assertThat(MeshHeaderCodec.destinations(headers)).containsExactly("b", "a", "c");

        MeshHeaderCodec.writeDestinations(headers, Set.of("eu-west-1"));
        assertThat(only(headers, "mesh_dest")).isEqualTo("eu-west-1");
        assertThat(MeshHeaderCodec.destinations(headers())).isEmpty();
        assertThat(MeshHeaderCodec.destinations(headers("mesh_dest", null))).isEmpty();
    }

    @Test
    void sequenceNumbersAreWrittenSortedAndReadPerDestination() {
        Headers headers = headers();

        MeshHeaderCodec.writeSequence(headers, Map.of("us-east-1", 12L, "eu-west-1", 3L));
        MeshHeaderCodec.writeSequence(headers, Map.of("us-east-1", 13L, "eu-west-1", 4L));

        assertThat(only(headers, "mesh_seq")).isEqualTo("eu-west-1=4,us-east-1=13");
        assertThat(MeshHeaderCodec.sequence(headers, "us-east-1")).isEqualTo(OptionalLong.of(13));
        assertThat(MeshHeaderCodec.sequence(headers, "eu-west-1")).isEqualTo(OptionalLong.of(4));
        assertThat(MeshHeaderCodec.sequence(headers, "us-east")).isEmpty();
        assertThat(MeshHeaderCodec.sequence(headers, "ap-southeast-1")).isEmpty();
    }

    @Test
    void aSequenceThatIsNotAPositiveNumberIsIgnored() {
        assertThat(MeshHeaderCodec.sequence(headers("mesh_seq", "a=x"), "a")).isEmpty();
        assertThat(MeshHeaderCodec.sequence(headers("mesh_seq", "a=0"), "a")).isEmpty();
        assertThat(MeshHeaderCodec.sequence(headers("mesh_seq", "=5,a"), "a")).isEmpty();
        assertThat(MeshHeaderCodec.sequence(headers(), "a")).isEmpty();
    }

    @Test
    void anArrivalIsMarkedAndNoLongerCarriesDestinations() {
        Headers headers = headers("mesh_dest", "us-east-1");
        assertThat(MeshHeaderCodec.isArrival(headers)).isFalse();

        MeshHeaderCodec.writeArrivedFrom(headers, "eu-west-1");

        assertThat(MeshHeaderCodec.isArrival(headers)).isTrue();
        assertThat(MeshHeaderCodec.arrivedFrom(headers)).contains("eu-west-1");
        assertThat(headers.lastHeader("mesh_dest")).isNull();
        assertThat(MeshHeaderCodec.arrivedFrom(headers())).isEmpty();
    }

    @Test
    void linkOffsetIsANumberOrAbsent() {
        Headers headers = headers();
        headers.add(MeshHeaders.LINK_OFFSET, MeshHeaderCodec.linkOffsetValue(4711));

        assertThat(MeshHeaderCodec.linkOffset(headers)).isEqualTo(OptionalLong.of(4711));
        assertThat(MeshHeaderCodec.linkOffset(headers("mesh_link_offset", "twelve"))).isEmpty();
        assertThat(MeshHeaderCodec.linkOffset(headers("mesh_link_offset", null))).isEmpty();
        assertThat(MeshHeaderCodec.linkOffset(headers())).isEmpty();
    }

    @Test
    void theStageStampIsReplacedOnEachHandOverAndIgnoredWhenNotANumber() {
        Headers headers = headers();
        MeshHeaderCodec.stampStage(headers, 1_000);
        MeshHeaderCodec.stampStage(headers, 2_000);
        assertThat(MeshHeaderCodec.stageAt(headers)).isEqualTo(OptionalLong.of(2_000));
        assertThat(headers.headers(MeshHeaders.STAGE_AT)).hasSize(1);
        assertThat(MeshHeaderCodec.stageAt(headers("mesh_stage_at", "soon"))).isEmpty();
        assertThat(MeshHeaderCodec.stageAt(headers())).isEmpty();
    }

    @Test
    void controlRecordHeadersRoundTrip() {
        Headers headers = headers("mesh_link_rtt_ms", "999");

        MeshHeaderCodec.writeLinkRttMs(headers, 72);
        MeshHeaderCodec.writeLearnedFrom(headers, "ap-southeast-1");

        assertThat(only(headers, "mesh_link_rtt_ms")).isEqualTo("72");
        assertThat(MeshHeaderCodec.linkRttMs(headers)).isEqualTo(OptionalLong.of(72));
        assertThat(MeshHeaderCodec.learnedFrom(headers)).contains("ap-southeast-1");
        assertThat(MeshHeaderCodec.linkRttMs(headers("mesh_link_rtt_ms", "fast"))).isEmpty();
        assertThat(MeshHeaderCodec.learnedFrom(headers())).isEqualTo(Optional.empty());
    }

    @Test
    void traceModeAndHopTimeRoundTrip() {
        Headers headers = headers();
        assertThat(MeshHeaderCodec.traceMode(headers)).isEqualTo(TraceMode.NONE);

        MeshHeaderCodec.writeTraceMode(headers, TraceMode.TRACE_ONLY);
        MeshHeaderCodec.stampHop(headers, 1_000);
        MeshHeaderCodec.stampHop(headers, 2_000);

        assertThat(only(headers, "mesh_trace")).isEqualTo("trace-only");
        assertThat(MeshHeaderCodec.traceMode(headers)).isEqualTo(TraceMode.TRACE_ONLY);
        assertThat(only(headers, "mesh_hop_at")).isEqualTo("2000");
        assertThat(MeshHeaderCodec.previousHopAt(headers, 0)).isEqualTo(2_000);

        MeshHeaderCodec.writeTraceMode(headers, TraceMode.NONE);
        assertThat(headers.lastHeader("mesh_trace")).isNull();
    }

    @Test
    void unknownTraceValuesCountAsSampledAndABadHopTimeFallsBack() {
        assertThat(MeshHeaderCodec.traceMode(headers("mesh_trace", "yes please"))).isEqualTo(TraceMode.SAMPLED);
        assertThat(MeshHeaderCodec.previousHopAt(headers("mesh_hop_at", "noon"), 42)).isEqualTo(42);
        assertThat(MeshHeaderCodec.previousHopAt(headers(), 42)).isEqualTo(42);
    }

    @Test
    void deadLettersNameTheReasonAndTheHeader() {
        Headers headers = headers("ce_id", "e1");

        MeshHeaderCodec.writeDeadLetter(headers, new InvalidEventException("mesh_hops", "header 'mesh_hops' is not a number: 'x'"));

        assertThat(only(headers, "mesh_dlq_reason")).isEqualTo("header 'mesh_hops' is not a number: 'x'");
        assertThat(only(headers, "mesh_dlq_field")).isEqualTo("mesh_hops");
        assertThat(only(headers, "ce_id")).isEqualTo("e1");
    }

    @Test
    void aNullValueIsPresentButEmpty() {
        assertThat(MeshHeaderCodec.text(headers("k", null), "k")).isEmpty();
        assertThat(MeshHeaderCodec.text(headers(), "k")).isNull();
    }
}
