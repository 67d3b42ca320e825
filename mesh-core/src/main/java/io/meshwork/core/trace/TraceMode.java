package io.meshwork.core.trace;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Whether an event is traced, decided once at the origin edge and carried in the Kafka header
 * {@value #HEADER}, so that every hop traces the same events.
 */
public enum TraceMode {
    /** Not traced. No header. */
    NONE,
    /** Traced at every hop and delivered as usual. */
    SAMPLED,
    /** Routed and traced, but delivered to no subscriber: a dry run ("where would this go?"). */
    TRACE_ONLY;

    /** Kafka header carrying the decision: {@code sampled} or {@code trace-only}. */
    public static final String HEADER = "mesh_trace";
    /** Kafka header: epoch millis of the previous traced hop, so the next one can tell its latency. */
    public static final String HOP_AT_HEADER = "mesh_hop_at";

    /** The value of {@link #HEADER}, or {@code null} for {@link #NONE}. */
    public String headerValue() {
        return switch (this) {
            case NONE -> null;
            case SAMPLED -> "sampled";
            case TRACE_ONLY -> "trace-only";
        };
    }

    /** Whether hops of the event are traced. */
    public boolean traced() {
        return this != NONE;
    }

    /** The mode carried by {@code headers}; unknown values count as sampled, so they are not lost. */
    public static TraceMode of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return NONE;
        }
        return "trace-only".equals(new String(header.value(), StandardCharsets.UTF_8)) ? TRACE_ONLY : SAMPLED;
    }

    /** Writes this mode into {@code headers} (removes the header for {@link #NONE}). */
    public void writeTo(Headers headers) {
        headers.remove(HEADER);
        if (this != NONE) {
            headers.add(HEADER, headerValue().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Stamps {@code atMs} as the time of the latest traced hop. */
    public static void stampHop(Headers headers, long atMs) {
        headers.remove(HOP_AT_HEADER);
        headers.add(HOP_AT_HEADER, Long.toString(atMs).getBytes(StandardCharsets.UTF_8));
    }

    /** The time of the previous traced hop, or {@code fallbackMs} when none is recorded. */
    public static long previousHopAt(Headers headers, long fallbackMs) {
        Header header = headers.lastHeader(HOP_AT_HEADER);
        if (header == null || header.value() == null) {
            return fallbackMs;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return fallbackMs;
        }
    }
}
