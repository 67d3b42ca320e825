package io.meshwork.core.trace;

/**
 * Whether an event is traced, decided once at the origin edge and carried in the Kafka header
 * {@code mesh_trace} (read and written by {@link io.meshwork.core.envelope.MeshHeaderCodec}), so
 * that every hop traces the same events.
 */
public enum TraceMode {
    /** Not traced. No header. */
    NONE,
    /** Traced at every hop and delivered as usual. */
    SAMPLED,
    /** Routed and traced, but delivered to no subscriber: a dry run ("where would this go?"). */
    TRACE_ONLY;

    /** The value of the {@code mesh_trace} header ({@link io.meshwork.core.envelope.MeshHeaders#TRACE}), or {@code null} for {@link #NONE}. */
    public String headerValue() {
        return switch (this) {
            case NONE -> null;
            case SAMPLED -> "sampled";
            case TRACE_ONLY -> "trace-only";
        };
    }

    /** The mode a {@code mesh_trace} header value names; unknown values count as sampled, so they are not lost. */
    public static TraceMode fromHeaderValue(String value) {
        return "trace-only".equals(value) ? TRACE_ONLY : SAMPLED;
    }

    /** Whether hops of the event are traced. */
    public boolean traced() {
        return this != NONE;
    }
}
