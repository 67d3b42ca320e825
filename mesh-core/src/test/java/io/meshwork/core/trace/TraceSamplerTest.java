package io.meshwork.core.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import io.meshwork.core.envelope.MeshHeaderCodec;
import org.junit.jupiter.api.Test;

class TraceSamplerTest {

    private static CloudEventBuilder event() {
        return CloudEventBuilder.v1().withId("e-1").withType("t").withSource(URI.create("/s"));
    }

    @Test
    void tracesEventsWhoseTraceparentSaysSampledWhateverTheRate() {
        TraceSampler never = new TraceSampler(0);
        CloudEvent sampled = event().withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build();
        CloudEvent notSampled = event().withExtension("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00").build();
        assertThat(never.decide(sampled)).isEqualTo(TraceMode.SAMPLED);
        assertThat(never.decide(notSampled)).isEqualTo(TraceMode.NONE);
        assertThat(never.decide(event().withExtension("traceparent", "garbage").build())).isEqualTo(TraceMode.NONE);
    }

    @Test
    void tracesEventsThatAskForItAndFlagsDryRuns() {
        TraceSampler never = new TraceSampler(0);
        assertThat(never.decide(event().withExtension("meshtrace", "true").build())).isEqualTo(TraceMode.SAMPLED);
        assertThat(never.decide(event().withExtension("meshtrace", true).build())).isEqualTo(TraceMode.SAMPLED);
        assertThat(never.decide(event().withExtension("meshtraceonly", "true").build())).isEqualTo(TraceMode.TRACE_ONLY);
        assertThat(never.decide(event().withExtension("meshtrace", "no").build())).isEqualTo(TraceMode.NONE);
    }

    @Test
    void samplesTheGivenShareOfTheRest() {
        assertThat(new TraceSampler(1).decide(event().build())).isEqualTo(TraceMode.SAMPLED);
        TraceSampler onePercent = new TraceSampler(TraceSampler.DEFAULT_RATE);
        long traced = java.util.stream.IntStream.range(0, 100_000).filter(i -> onePercent.decide(event().build()).traced()).count();
        assertThat(traced).isBetween(700L, 1300L);
        assertThatThrownBy(() -> new TraceSampler(1.5)).hasMessageContaining("1.5");
    }

    @Test
    void theDecisionTravelsInAHeaderWithTheLastHopsTime() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(MeshHeaderCodec.traceMode(headers)).isEqualTo(TraceMode.NONE);
        MeshHeaderCodec.writeTraceMode(headers, TraceMode.TRACE_ONLY);
        MeshHeaderCodec.stampHop(headers, 1234);
        MeshHeaderCodec.stampHop(headers, 5678);
        assertThat(MeshHeaderCodec.traceMode(headers)).isEqualTo(TraceMode.TRACE_ONLY);
        assertThat(MeshHeaderCodec.previousHopAt(headers, 0)).isEqualTo(5678);
        MeshHeaderCodec.writeTraceMode(headers, TraceMode.SAMPLED);
        assertThat(MeshHeaderCodec.traceMode(headers)).isEqualTo(TraceMode.SAMPLED);
        assertThat(MeshHeaderCodec.previousHopAt(new RecordHeaders(), 42)).isEqualTo(42);
    }

    @Test
    void aHopRoundTripsThroughJsonAndBadRecordsAreRefused() {
        TraceHop hop = new TraceHop("e-1", "a/b", 10, "us-east-1", "edge-1", List.of("us-east-1", "eu-west-1"), HopKind.ARRIVAL,
                "eu-west-1", "router-eu-west-1", 1000, 35, "us-east-1", false);
        assertThat(TraceHop.decode(hop.encode())).isEqualTo(hop);
        assertThatThrownBy(() -> TraceHop.decode("{\"eventId\":1}".getBytes())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TraceHop.decode("nope".getBytes())).isInstanceOf(IllegalArgumentException.class);
    }
}
