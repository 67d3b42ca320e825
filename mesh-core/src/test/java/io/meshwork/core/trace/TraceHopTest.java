package io.meshwork.core.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceHopTest {

    @Test
    void theTraceparentTravelsWithTheHop() {
        TraceHop hop = new TraceHop("e1", "a/b", 3, "us-east-1", "edge-1", List.of("us-east-1"), HopKind.PUBLISH, "us-east-1", "edge-1",
                1_000, 2, null, false, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        assertThat(TraceHop.decode(hop.encode())).isEqualTo(hop);
    }

    @Test
    void aHopWrittenWithoutATraceparentStillDecodes() {
        String before = "{\"eventId\":\"e1\",\"topic\":\"a/b\",\"payloadBytes\":3,\"originRegion\":\"us-east-1\",\"originBroker\":null,"
                + "\"path\":[\"us-east-1\"],\"kind\":\"FORWARD\",\"region\":\"us-east-1\",\"broker\":\"router-us-east-1\",\"atMs\":1000,"
                + "\"latencyMs\":2,\"fromRegion\":null,\"traceOnly\":false}";

        TraceHop hop = TraceHop.decode(before.getBytes(StandardCharsets.UTF_8));

        assertThat(hop.traceparent()).isNull();
        assertThat(hop.kind()).isEqualTo(HopKind.FORWARD);
    }
}
