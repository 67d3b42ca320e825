package io.meshwork.controlplane.internal.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshwork.core.trace.HopKind;
import io.meshwork.core.trace.TraceHop;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HopSpansTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PUBLISHER_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PUBLISHER_SPAN + "-01";
    private static final long AT = 1_800_000_000_000L;

    private final HopSpans spans = new HopSpans();

    private static TraceHop hop(HopKind kind, String region, String broker, long latencyMs, String from, String traceparent) {
        return new TraceHop("evt-1", "orders/eu/created", 42, "us-east-1", "edge-us-east-1", List.of("us-east-1", "eu-west-1"),
                kind, region, broker, AT, latencyMs, from, false, traceparent);
    }

    @Test
    void aHopJoinsThePublishersTraceAsAChildOfItsSpan() {
        SpanData span = spans.span(hop(HopKind.ARRIVAL, "eu-west-1", "router-eu-west-1", 70, "us-east-1", TRACEPARENT));

        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(PUBLISHER_SPAN);
        assertThat(span.getParentSpanContext().isRemote()).isTrue();
        assertThat(span.getSpanContext().isValid()).isTrue();
        assertThat(span.getSpanContext().isSampled()).isTrue();
        assertThat(span.getSpanId()).isNotEqualTo(PUBLISHER_SPAN);
    }

    @Test
    void nameKindAndAttributesSayWhatHappenedWhere() {
        SpanData span = spans.span(hop(HopKind.ARRIVAL, "eu-west-1", "router-eu-west-1", 70, "us-east-1", TRACEPARENT));

        assertThat(span.getName()).isEqualTo("arrival eu-west-1");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getAttributes().get(HopSpans.REGION)).isEqualTo("eu-west-1");
        assertThat(span.getAttributes().get(HopSpans.HOP_KIND)).isEqualTo("ARRIVAL");
        assertThat(span.getAttributes().get(HopSpans.TOPIC)).isEqualTo("orders/eu/created");
        assertThat(span.getAttributes().get(HopSpans.EVENT_ID)).isEqualTo("evt-1");
        assertThat(span.getAttributes().get(HopSpans.LINK)).isEqualTo("us-east-1->eu-west-1");
        assertThat(span.getAttributes().get(HopSpans.NODE)).isEqualTo("router-eu-west-1");
        assertThat(span.getAttributes().get(HopSpans.PATH)).containsExactly("us-east-1", "eu-west-1");
        assertThat(span.getAttributes().get(HopSpans.PAYLOAD_BYTES)).isEqualTo(42L);
        assertThat(span.getAttributes().get(HopSpans.TRACE_ONLY)).isNull();
        assertThat(span.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
                .isEqualTo(HopSpans.SERVICE_NAME);
        assertThat(span.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.instance.id")))
                .isEqualTo("router-eu-west-1");
    }

    @Test
    void aPublishRunsFromReceiptToTheAckAndLaterHopsFromThePreviousHop() {
        SpanData publish = spans.span(hop(HopKind.PUBLISH, "us-east-1", "edge-us-east-1", 5, null, TRACEPARENT));
        SpanData delivery = spans.span(hop(HopKind.DELIVERY, "eu-west-1", "edge-eu-west-1", 80, null, TRACEPARENT));

        assertThat(publish.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(AT));
        assertThat(publish.getEndEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(AT + 5));
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getAttributes().get(HopSpans.LINK)).isNull();
        assertThat(delivery.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(AT - 80));
        assertThat(delivery.getEndEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(AT));
        assertThat(delivery.hasEnded()).isTrue();
    }

    @Test
    void aHopReadTwiceIsTheSameSpanAndEachHopHasItsOwn() {
        TraceHop arrival = hop(HopKind.ARRIVAL, "eu-west-1", "router-eu-west-1", 70, "us-east-1", TRACEPARENT);

        assertThat(spans.span(arrival).getSpanId()).isEqualTo(new HopSpans().span(arrival).getSpanId());
        assertThat(spans.span(arrival).getSpanId())
                .isNotEqualTo(spans.span(hop(HopKind.DELIVERY, "eu-west-1", "edge-eu-west-1", 1, null, TRACEPARENT)).getSpanId())
                .isNotEqualTo(spans.span(hop(HopKind.ARRIVAL, "ap-southeast-1", "router-ap-southeast-1", 70, "eu-west-1", TRACEPARENT))
                        .getSpanId());
    }

    @Test
    void anEventWithoutAUsableTraceparentGetsOneTraceFromItsIdAndRootSpans() {
        SpanData none = spans.span(hop(HopKind.PUBLISH, "us-east-1", "edge-us-east-1", 5, null, null));
        SpanData malformed = spans.span(hop(HopKind.DELIVERY, "eu-west-1", "edge-eu-west-1", 5, null, "00-not-a-trace-01"));

        assertThat(none.getSpanContext().isValid()).isTrue();
        assertThat(none.getParentSpanContext().isValid()).isFalse();
        assertThat(malformed.getParentSpanContext().isValid()).isFalse();
        assertThat(malformed.getTraceId()).isEqualTo(none.getTraceId()).isNotEqualTo(TRACE_ID);
    }

    @Test
    void aDryRunIsMarked() {
        TraceHop dry = new TraceHop("evt-2", "orders/x", 0, "us-east-1", null, List.of("us-east-1"), HopKind.FORWARD, "us-east-1",
                "router-us-east-1", AT, 0, null, true, TRACEPARENT);
        assertThat(spans.span(dry).getAttributes().get(HopSpans.TRACE_ONLY)).isTrue();
    }
}
